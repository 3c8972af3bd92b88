"""Dashboard package: reads the ETL's DuckDB file and turns it into briefing-ready views.

Split by concern so pages stay declarative: queries (the only SQL), charts (the only Plotly styling), export
(PNG/xlsx bytes), and small helpers for formatting, labels, selection state and page widgets.
"""
