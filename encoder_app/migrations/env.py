"""Alembic's environment: always given an open connection by codebook/migrate.py, never a URL
from a config file, so the app's own engine options (SQLCipher key, SQLite pragmas) apply."""

from alembic import context

from encoder_app.codebook.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
