"""The sessions library: one SQLite database (sqlite-utils) with recordings stored as files beside it."""
