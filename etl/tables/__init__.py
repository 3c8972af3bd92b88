"""Stage 2, tables. Enters: a Source. Leaves: each printed table found (segment), named by what it is (the kinds
registry, classify) and read by its kind's parser into contract rows, with every printed amount accounted for."""
