"""The codebook store: SQLAlchemy models and the repositories that answer a coder's questions."""
