"""kill -9 during ingest (embedded and against a Chroma server): one ordinary ingest afterwards
leaves exactly what a clean build holds, and one more writes nothing. benchmarks/crash_trials.py
runs the same trials in larger numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.crash_trials import chroma_server, run_trials

pytestmark = pytest.mark.slow


def _check(results) -> None:  # type: ignore[no-untyped-def]
    assert all(r.killed for r in results), [r for r in results if not r.killed]
    assert [r for r in results if not r.equal] == []
    assert all(r.rerun_noop for r in results)
    # The kills covered the first write, the last and the writes in between of both scenarios.
    for scenario in ("fresh", "incremental"):
        points = sorted(r.kill_at or 0 for r in results if r.scenario == scenario)
        total = next(r.total_writes for r in results if r.scenario == scenario)
        assert points[0] == 1 and (len(points) < 3 or points[-1] == total)


def test_ten_kills_at_spread_points_of_an_embedded_ingest_recover_to_a_clean_build(tmp_path: Path) -> None:
    _check(run_trials(10, tmp_path))


@pytest.mark.server
def test_kills_during_an_ingest_into_a_chroma_server_recover_to_a_clean_build(tmp_path: Path) -> None:
    with chroma_server(tmp_path / "server-data") as (url, _):
        _check(run_trials(3, tmp_path, url))
