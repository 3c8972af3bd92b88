"""Stage 3, words. Enters: the report's prose lines and its parsed tables. Leaves: who and when (unit, year, type,
title) and the figures the 说明 states (facts rows), each with the sentence and page it came from."""
