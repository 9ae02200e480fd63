"""The cycle collector is paused for bulk work and comes back as it was, errors or not."""

import gc

import pytest

from encoder_app.cycle_collection import cycle_collection_paused


def test_paused_inside_and_enabled_again_after():
    assert gc.isenabled()
    with cycle_collection_paused():
        assert not gc.isenabled()
        with cycle_collection_paused():  # nested: the inner exit must not re-enable early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_enables_it_again():
    with pytest.raises(ValueError), cycle_collection_paused():
        raise ValueError("bad row")
    assert gc.isenabled()


def test_left_disabled_when_it_was_disabled_before():
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
