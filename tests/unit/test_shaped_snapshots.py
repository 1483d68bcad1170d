"""An assessment's 考核组 survive a snapshot; a snapshot taken before sub-panels existed (no
``panel_groups`` in its state) restores a round whose judges all sit on the whole panel."""

from uuid import uuid4

from eventsourcing.domain import Snapshot

from adapters.postgres.mapper import MsgspecMapper
from domain.assessment import Assessment, subject_for
from tests.factories import cause, setup


def restored(a: Assessment, drop: str | None = None) -> Assessment:
    mapper = MsgspecMapper()
    snapshot = Assessment.Snapshot.take(a)
    if drop is not None:  # as a snapshot written by an earlier release
        state = dict(snapshot.state)
        state.pop(drop)
        object.__setattr__(snapshot, "state", state)
    stored = mapper.to_stored_event(snapshot)
    again = mapper.to_domain_event(stored)
    assert isinstance(again, Snapshot)
    return again.mutate(None)


def test_a_sub_panel_survives_a_snapshot_and_an_old_snapshot_has_none() -> None:
    a = Assessment.create(setup(), cause())
    primary = a.add_subject(subject_for(a.id, "school", uuid4(), "小学", "yiguanzhi"), cause())
    a.add_subject(subject_for(a.id, "school", uuid4(), "初中", "yilei"), cause())
    judge = uuid4()
    a.add_judge(judge, "评委", (), cause(), groups=("yiguanzhi",))
    back = restored(a)
    assert back.panel_groups == {judge: ("yiguanzhi",)}
    assert [s.id for s in back.scored_by(judge)] == [primary]
    old = restored(a, drop="panel_groups")
    assert dict(old.panel_groups) == {}
    assert len(old.scored_by(judge)) == 2  # before sub-panels: the whole panel
