"""A reader never mixes the table of one index build with the shards of another."""

from encoder_app.codebook.db import engine_for
from encoder_app.search import index_files, open_search_engine


def test_a_read_that_straddles_another_processes_swap_is_done_again(_search_template,
                                                                   monkeypatch):
    engine = engine_for(f"sqlite:///{_search_template / 'codebook.sqlite3'}")
    search = open_search_engine(engine, _search_template / "index")
    real = index_files.read_manifest(_search_template / "index")
    builds = iter([{**real, "build": "old"}, {**real, "build": "new"}])  # swapped mid-read
    reads = []

    def manifest(folder):
        reads.append(folder)
        return next(builds, real)

    monkeypatch.setattr(index_files, "read_manifest", manifest)
    assert search.search("afib", ("icd10cm",), None, 5, False)[0].code == "I48.91"
    assert len(reads) == 4  # before and after twice: the first read was thrown away
