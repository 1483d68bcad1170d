"""Generated event sequences of one assessment, for the properties of the board views.

Events are built directly (the fold applies facts, it does not decide them), in any order
the fold accepts: subjects come and go and move, judges are recused and the recusals
lifted, cards are scored, submitted and reopened, self-assessments scored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from eventsourcing.utils import get_topic
from hypothesis import strategies as st

from domain.assessment import Assessment, Subject
from domain.board import BoardState, fold
from domain.scorecard import CardKey, Change, Scorecard
from domain.self_assessment import SelfAssessment
from services.projection import Logged
from tests.factories import cause, setup

AT = datetime(2026, 12, 1, tzinfo=UTC)
SUBJECTS = [UUID(int=0x5000 + i) for i in range(4)]
JUDGES = [UUID(int=0x7000 + i) for i in range(3)]
COMPONENTS = ("routine", "other")
CODES = ("1.1", "1.2", "2.1")
GROUPS = ("yiguanzhi", "yilei")

points = st.one_of(st.none(), st.integers(0, 12).map(lambda n: Decimal(n) / 2))
op = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 3), st.sampled_from(GROUPS)),
    st.tuples(st.just("remove"), st.integers(0, 3)),
    st.tuples(st.just("move"), st.integers(0, 3), st.sampled_from(GROUPS)),
    st.tuples(st.just("judge"), st.integers(0, 2)),
    st.tuples(st.just("recuse"), st.integers(0, 2), st.integers(0, 3),
              st.sampled_from(("employment", "declared")), st.sampled_from((None, "亲属"))),
    st.tuples(st.just("lift"), st.integers(0, 2), st.integers(0, 3)),
    st.tuples(st.just("status"), st.sampled_from(("open", "closed", "finalised"))),
    st.tuples(st.just("setup"), st.integers(1, 2)),
    st.tuples(st.just("publish")),
    st.tuples(st.just("score"), st.integers(0, 2), st.integers(0, 3),
              st.sampled_from(COMPONENTS), st.dictionaries(st.sampled_from(CODES), points)),
    st.tuples(st.just("submit"), st.integers(0, 2), st.integers(0, 3),
              st.sampled_from(COMPONENTS)),
    st.tuples(st.just("reopen"), st.integers(0, 2), st.integers(0, 3),
              st.sampled_from(COMPONENTS)),
    st.tuples(st.just("self"), st.integers(0, 3), st.sampled_from(COMPONENTS),
              st.dictionaries(st.sampled_from(CODES), points, min_size=1)),
)


class Log:
    """Builds the events of one assessment, skipping the ops the fold cannot apply."""

    def __init__(self, assessment_id: UUID) -> None:
        self.a = assessment_id
        self.versions: dict[UUID, int] = {}
        self.events: list[object] = []
        self.present: set[int] = set()
        self.started: set[UUID] = set()
        self.new(Assessment.Created, assessment_id, originator_topic=get_topic(Assessment),
                 setup=setup())

    def new(self, cls: type, originator: UUID, **fields: object) -> None:
        version = self.versions.get(originator, 0) + 1
        self.versions[originator] = version
        self.events.append(cls(originator_id=originator, originator_version=version,
                               timestamp=AT, cause=cause(reason=fields.pop("reason", None)),
                               **fields))

    def card(self, j: int, s: int, component: str) -> CardKey:
        return CardKey(self.a, SUBJECTS[s], component, JUDGES[j])

    def apply(self, step: tuple) -> None:  # type: ignore[type-arg]
        kind, *args = step
        a = self.a
        if kind == "add":
            s, group = args
            self.present.add(s)
            self.new(Assessment.SubjectAdded, a, subject=Subject(
                SUBJECTS[s], "school", UUID(int=s + 1), f"学校{s}", group))
        elif kind == "remove":
            self.present.discard(args[0])
            self.new(Assessment.SubjectRemoved, a, subject_id=SUBJECTS[args[0]], name="x",
                     group=GROUPS[0])
        elif kind == "move" and args[0] in self.present:
            self.new(Assessment.SubjectMoved, a, subject_id=SUBJECTS[args[0]], name="x",
                     from_group=GROUPS[0], group=args[1])
        elif kind == "judge":
            self.new(Assessment.JudgeAdded, a, judge_id=JUDGES[args[0]], name=f"评委{args[0]}")
        elif kind == "recuse":
            j, s, category, reason = args
            self.new(Assessment.JudgeRecused, a, judge_id=JUDGES[j], subject_id=SUBJECTS[s],
                     category=category, reason=reason)
        elif kind == "lift":
            self.new(Assessment.RecusalLifted, a, judge_id=JUDGES[args[0]],
                     subject_id=SUBJECTS[args[1]])
        elif kind == "status":
            self.new(Assessment.StatusChanged, a, status=args[0])
        elif kind == "setup":
            self.new(Assessment.SetupChanged, a, setup=replace(setup(), quorum=args[0]),
                     changed=("quorum",))
        elif kind == "publish":
            self.new(Assessment.ResultsPublished, a, results=(), log_position=1, log_head="h")
        elif kind == "score":
            j, s, component, scores = args
            key = self.card(j, s, component)
            if key.card_id not in self.started:
                self.started.add(key.card_id)
                self.new(Scorecard.Started, key.card_id, key=key,
                         originator_topic=get_topic(Scorecard))
            self.new(Scorecard.ScoresRecorded, key.card_id, key=key, changes=tuple(
                Change(code, None, new) for code, new in sorted(scores.items())))
        elif kind in ("submit", "reopen"):
            key = self.card(*args)
            if key.card_id in self.started:
                cls = Scorecard.Submitted if kind == "submit" else Scorecard.Reopened
                extra = {"total": Decimal(0)} if kind == "submit" else {"reason": "更正"}
                self.new(cls, key.card_id, key=key, **extra)
        elif kind == "self":
            s, component, scores = args
            key = CardKey(a, SUBJECTS[s], component, UUID(int=0x9000))
            self.new(SelfAssessment.SelfScored, uuid4(), key=key, evidence_ids=(),
                     changes=tuple(Change(code, None, new) for code, new in scores.items()))


def logged(steps: list[tuple]) -> tuple[UUID, list[Logged]]:  # type: ignore[type-arg]
    log = Log(uuid4())
    for step in steps:
        log.apply(step)
    return log.a, [Logged(n, AT, event) for n, event in enumerate(log.events, start=1)]


def batches(events: list[Logged], sizes: list[int]) -> list[list[Logged]]:
    """The events cut into consecutive batches of the sizes drawn (the rest in the last)."""
    out, start = [], 0
    for size in sizes:
        if start < len(events):
            out.append(events[start:start + size])
            start += size
    if start < len(events):
        out.append(events[start:])
    return out


def folded(assessment_id: UUID, events: list[Logged]) -> BoardState:
    """The whole board, folded over every event at once (as the auditor's replay does)."""
    state = BoardState(assessment_id)
    for event in events:
        fold(state, event.event, event.position)
    return state
