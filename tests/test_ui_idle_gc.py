"""Full garbage collections wait for the user to be idle; the app tells the collector of input."""

from __future__ import annotations

import gc
from pathlib import Path

from reader.ui import idle_gc
from reader.ui.idle_gc import IdleCollector
from tests.ui_support import reader_app


def young_passes(count: int) -> None:
    for _ in range(count):
        gc.collect(1)  # each generation-1 pass counts towards the next full one


def test_full_collections_wait_for_quiet_and_thresholds_come_back() -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    try:
        assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > 10_000
        gc.collect()
        young_passes(idle_gc.FULL_EVERY)
        collector.touch()
        collector.tick()  # due, but the user is typing
        assert collector.collections == 0 and gc.get_count()[2] >= idle_gc.FULL_EVERY
        collector.last_input -= idle_gc.QUIET
        collector.tick()  # due and quiet
        assert collector.collections == 1 and gc.get_count()[2] == 0
        collector.last_input -= idle_gc.QUIET
        collector.tick()  # quiet, but nothing due
        assert collector.collections == 1
        young_passes(idle_gc.OVERDUE)
        collector.touch()
        collector.tick()  # overdue: collected even while typing
        assert collector.collections == 2
    finally:
        collector.close()
    assert gc.get_threshold() == before


async def test_the_app_runs_a_collector_and_keys_keep_it_waiting(tmp_path: Path) -> None:
    before = gc.get_threshold()
    app = reader_app(tmp_path)
    async with app.run_test() as pilot:
        collector = app.collector
        assert collector is not None and gc.get_threshold()[2] > 10_000
        collector.last_input = 0.0
        await pilot.press("j")
        assert collector.last_input > 0.0
    assert gc.get_threshold() == before


async def test_start_up_holds_the_collector_until_the_first_frame(tmp_path: Path) -> None:
    assert gc.isenabled()
    idle_gc.hold_for_start()
    try:
        assert not gc.isenabled()
        app = reader_app(tmp_path)
        async with app.run_test() as pilot:
            await pilot.pause()
            # The first frame released it, with what start-up made frozen.
            assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        idle_gc.release_after_start()
        gc.unfreeze()
    assert gc.isenabled()


def test_releasing_what_was_not_held_changes_nothing() -> None:
    idle_gc.release_after_start()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()  # the program's own choice (or a load pausing it) is left alone
    try:
        idle_gc.hold_for_start()
        idle_gc.release_after_start()
        assert not gc.isenabled()
    finally:
        gc.enable()
