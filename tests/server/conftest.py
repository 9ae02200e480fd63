"""Each server test runs on both backends: a SQLite file and a database of the throwaway
PostgreSQL cluster (skipped, with the reason, where PostgreSQL cannot be started)."""

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    return request.getfixturevalue("postgres_cluster").new_database()


@pytest.fixture
def backend(backend_url):
    from encoder_app.codebook.db import engine_for

    engine = engine_for(backend_url)
    yield engine
    engine.dispose()
    engine_for.cache_clear()
