"""Dashboard package: reads the ETL's DuckDB file and turns it into briefing-ready views.

Split by concern so pages stay declarative: queries (the only SQL the pages' figures read), generations (which
database file, one connection per generation of it, what each cached query is keyed by, and the threads that warm a
new generation and release an old one), charts (the only Plotly styling), export/ (PNG, .xlsx and the Word/PPT 简报),
ui (page building blocks, the download and 简报 buttons among them), and small helpers for formatting, labels,
selection state and the frame. The 简报 command is dashboard/briefing.py.
"""
