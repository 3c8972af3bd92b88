"""Stage 4, checks. Enters: a parsed report (tables and prose facts), and for cross-report rules the database.
Leaves: checks rows — one per instance of a declared rule (rules.RULES), evaluated by the one evaluator."""
