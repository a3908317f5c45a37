"""The quarter-over-quarter history store in SQLite (the only user of sqlite3)."""
