"""Stage 5, store. Enters: files to ingest (from the CLI, the 导入 page or a Dask cluster). Leaves: one DuckDB file,
each report written in one transaction and published by an atomic rename, with one result line per file."""
