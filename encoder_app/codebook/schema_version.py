"""Which schema a database was made with: readable without the table classes, so that a search
opening the database read-only (cli/search_cmd.py) can check it without loading SQLAlchemy."""

#: Raise when a table or column changes; a database stamped otherwise is refused with advice.
SCHEMA_VERSION = 5
#: Versions whose upgrade to the next only adds tables (1 -> 2: encounters, audit, favorites;
#: 2 -> 3: practice set-up, fee schedule, pick lists; 3 -> 4: study sets, attempts, cards;
#: 4 -> 5: the POA exempt list), so an older database is upgraded in place instead of refused.
ADDITIVE_UPGRADES = frozenset({1, 2, 3, 4})
