"""Alembic migrations of the one schema, on SQLite and PostgreSQL alike (codebook/migrate.py
runs them; nothing here is run by hand)."""
