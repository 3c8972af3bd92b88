"""Stage 1, read. Enters: a report file (a PDF as published, or a text extraction). Leaves: a Source — pages of text
lines and grids (ruled, or borderless ones placed by their words' positions) with their page numbers — plus what every
later stage shares: amounts, money units, name keys, the report types (Issue, Comparison, ParsedReport) and the
refusal reason (RefusedInput)."""
