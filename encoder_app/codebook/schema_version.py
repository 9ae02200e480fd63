"""Which schema a database was made with: readable without the table classes, so that a search
opening the database read-only (cli/search_cmd.py) can check it without loading SQLAlchemy.

The schema is migrated with Alembic (encoder_app/migrations, codebook/migrate.py); each
revision also stamps ``schema_info`` with its schema number, which is what is read here."""

#: The schema number the newest migration stamps; raised by every migration that changes it.
SCHEMA_VERSION = 9
#: The newest Alembic revision, whose schema is SCHEMA_VERSION.
HEAD_REVISION = "0009_set_up_versions"
#: Schema numbers of databases made before Alembic (hand-written upgrades that only added
#: tables: 1 -> 2 encounters, audit, favorites; 2 -> 3 practice set-up, fee schedule, pick
#: lists; 3 -> 4 study sets; 4 -> 5 the POA exempt list). The baseline revision creates what
#: such a database lacks, so it is upgraded in place instead of refused.
ADDITIVE_UPGRADES = frozenset({1, 2, 3, 4, 5})
