"""Property: any sequence of edits, deletions and additions, ingested step by step, leaves the
same store as one fresh build of the final folder (Hypothesis chooses the sequences)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.config import Settings
from assistant.store import open_store
from ingest.pipeline import ingest_paths
from tests.helpers import write_note
from tests.robustness_helpers import assert_consistent, snapshot

pytestmark = pytest.mark.slow

SLOTS = ("alpha", "beta", "gamma")
BODIES = (
    "Reviews happen within three months.",
    "Reviews happen within three months.\n\nLater reviews are every six months.",
    "A family member can supervise contact once approved by the social worker.",
)
TITLES = ("Reviews", "Contact and reviews")
# (slot, action): write body i with title j, or delete the note
ACTION = st.one_of(
    st.tuples(st.sampled_from(SLOTS), st.tuples(st.integers(0, len(BODIES) - 1), st.integers(0, len(TITLES) - 1))),
    st.tuples(st.sampled_from(SLOTS), st.just("delete")),
)
_counter = itertools.count()


def _apply(folder: Path, slot: str, action: object) -> None:
    if action == "delete":
        (folder / f"{slot}.md").unlink(missing_ok=True)
    else:
        body, title = action  # type: ignore[misc]
        write_note(folder, slot, f"{TITLES[title]} ({slot})", f"About {slot}.", f"What about {slot}?", BODIES[body])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rounds=st.lists(st.lists(ACTION, min_size=1, max_size=4), min_size=1, max_size=3))
def test_ingest_edit_delete_ingest_equals_a_fresh_build(rounds: list, workdir: Path, embedder) -> None:  # type: ignore[type-arg]
    n = next(_counter)
    docs = workdir / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    for slot in SLOTS[:2]:
        _apply(docs, slot, (0, 0))
    home = workdir / "home"
    with open_store(Settings(home=home, collection=f"step{n}"), embedder) as store:
        ingest_paths([docs], store, embedder)
        for actions in rounds:
            for slot, action in actions:
                _apply(docs, slot, action)
            ingest_paths([docs], store, embedder)
        assert_consistent(store)
        stepwise = snapshot(store)
    with open_store(Settings(home=home, collection=f"fresh{n}"), embedder) as store:
        ingest_paths([docs], store, embedder)
        assert snapshot(store) == stepwise
