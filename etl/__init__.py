"""ETL: budget disclosure reports (PDF as published, or a text extraction) into the DuckDB model."""
