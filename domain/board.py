"""The score board of an assessment as a fold of its events — one piece of logic.

The projector applies ``fold`` incrementally; the auditor's replay runs it over the log up
to any moment. ``domain.results.rows`` turns the folded state into the board people read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from uuid import UUID

from domain.assessment import Assessment, Setup, Subject
from domain.opinions import PanelOpinions
from domain.scorecard import Scorecard
from domain.self_assessment import SelfAssessment
from domain.windows import RoundWindows

# The fold's identity, kept with each checkpoint of the as-of replay (docs/adr/0023): bump it
# whenever ``fold`` or the states below would give another board from the same events, so
# checkpoints of the old fold are no longer read. tests/unit/test_checkpoints.py pins the
# source it stands for.
FOLD_VERSION = 2


@dataclass
class CardState:
    subject_id: UUID
    component: str
    judge_id: UUID
    scores: dict[str, Decimal] = field(default_factory=dict)
    submitted: bool = False
    reopened: bool = False  # reopened and not submitted again since

    @property
    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal(0))


@dataclass
class BoardState:
    """Everything the board needs, folded from the assessment's and its cards' events."""

    assessment_id: UUID
    setup: Setup | None = None
    status: str = "draft"
    subjects: dict[str, Subject] = field(default_factory=dict)
    panel: dict[str, str] = field(default_factory=dict)
    cards: dict[str, CardState] = field(default_factory=dict)
    recusals: dict[str, str] = field(default_factory=dict)  # "judge/subject" → category
    recusal_reasons: dict[str, str] = field(default_factory=dict)  # "judge/subject" → why
    self_scores: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # "subject/comp"
    position: int = 0
    panel_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # judge → 考核组

    def is_recused(self, judge_id: UUID, subject_id: UUID) -> bool:
        return f"{judge_id}/{subject_id}" in self.recusals

    def sits_for(self, judge: str, subject: Subject) -> bool:
        """Whether a judge of the panel sits for the subject's 考核组 (domain/shaping.py)."""
        groups = self.panel_groups.get(judge, ())
        return not groups or subject.group in groups


def assessment_of(event: object) -> UUID | None:
    """The assessment an event belongs to, or None if it does not touch any board."""
    if isinstance(event, Assessment.Event):
        return event.originator_id
    if isinstance(event, Scorecard.Event | SelfAssessment.Event):
        return event.key.assessment_id  # type: ignore[attr-defined]
    if isinstance(event, RoundWindows.Event | PanelOpinions.Event):  # the round's own history
        return event.assessment_id  # type: ignore[attr-defined,no-any-return]
    return None


def subject_of(event: object) -> UUID | None:
    """The one subject whose part of the board an event changes, or None for the board's
    header (setup, status, panel): with ``fold`` below, an event changes nothing else, so
    the board can be kept one row per subject (``parts``) and folded a part at a time."""
    if isinstance(event, Scorecard.Event | SelfAssessment.Event):
        return event.key.subject_id  # type: ignore[attr-defined,no-any-return]
    if isinstance(event, Assessment.SubjectAdded):
        return event.subject.id
    if isinstance(event, Assessment.JudgeRecused | Assessment.RecusalLifted
                  | Assessment.SubjectRemoved | Assessment.SubjectMoved):
        return event.subject_id
    return None


@dataclass
class SubjectPart:
    """What the board holds of one subject: itself, its cards, recusals and self-scores."""

    subjects: dict[str, Subject] = field(default_factory=dict)
    cards: dict[str, CardState] = field(default_factory=dict)
    recusals: dict[str, str] = field(default_factory=dict)
    recusal_reasons: dict[str, str] = field(default_factory=dict)
    self_scores: dict[str, dict[str, Decimal]] = field(default_factory=dict)


def parts(state: BoardState, subject_ids: set[UUID]) -> dict[UUID, SubjectPart]:
    """The parts of the subjects named, taken out of the board state in one pass."""
    by_text = {str(s): s for s in subject_ids}
    found = {s: SubjectPart() for s in subject_ids}
    for key, subject in state.subjects.items():
        if key in by_text:
            found[by_text[key]].subjects[key] = subject
    for key, card in state.cards.items():
        if card.subject_id in found:
            found[card.subject_id].cards[key] = card
    for pairs, name in ((state.recusals, "recusals"),
                        (state.recusal_reasons, "recusal_reasons")):
        for key, value in pairs.items():  # "judge/subject"
            if (subject := by_text.get(key[key.index("/") + 1:])) is not None:
                getattr(found[subject], name)[key] = value
    for key, scores in state.self_scores.items():  # "subject/component"
        if (subject := by_text.get(key[:key.index("/")])) is not None:
            found[subject].self_scores[key] = scores
    return found


def fold(state: BoardState, event: object, position: int) -> BoardState:
    """Apply one event to the board state (mutates and returns it)."""
    if isinstance(event, Assessment.Event):
        _fold_assessment(state, event)
    elif isinstance(event, Scorecard.Event):
        _fold_card(state, event)
    elif isinstance(event, SelfAssessment.SelfScored):
        key = event.key
        scores = state.self_scores.setdefault(f"{key.subject_id}/{key.component}", {})
        for change in event.changes:
            if change.new is not None:
                scores[change.code] = change.new
    state.position = max(state.position, position)
    return state


def _fold_assessment(state: BoardState, event: Assessment.Event) -> None:
    if isinstance(event, Assessment.Created):
        state.setup = event.setup
    elif isinstance(event, Assessment.SubjectAdded):
        state.subjects[str(event.subject.id)] = event.subject
    elif isinstance(event, Assessment.JudgeAdded):
        state.panel[str(event.judge_id)] = event.name
        if getattr(event, "groups", ()):  # 考核组, since issue 15
            state.panel_groups[str(event.judge_id)] = tuple(event.groups)
    elif isinstance(event, Assessment.JudgeRecused):
        state.recusals[f"{event.judge_id}/{event.subject_id}"] = event.category
        state.recusal_reasons[f"{event.judge_id}/{event.subject_id}"] = event.cause.reason or ""
    elif isinstance(event, Assessment.RecusalLifted):
        state.recusals.pop(f"{event.judge_id}/{event.subject_id}", None)
        state.recusal_reasons.pop(f"{event.judge_id}/{event.subject_id}", None)
    elif isinstance(event, Assessment.StatusChanged):
        state.status = event.status
    elif isinstance(event, Assessment.ResultsPublished):
        state.status = "published"
    elif isinstance(event, Assessment.SubjectRemoved):  # gone from the board, with its 回避
        state.subjects.pop(str(event.subject_id), None)
        state.recusals = {k: v for k, v in state.recusals.items()
                          if not k.endswith(f"/{event.subject_id}")}
    elif isinstance(event, Assessment.SubjectMoved):  # ranked in its new group
        subject = state.subjects[str(event.subject_id)]
        state.subjects[str(event.subject_id)] = replace(subject, group=event.group)
    elif isinstance(event, Assessment.SetupChanged):
        state.setup = event.setup


def _fold_card(state: BoardState, event: Scorecard.Event) -> None:
    card_id = str(event.originator_id)
    if isinstance(event, Scorecard.Started):
        key = event.key
        state.cards[card_id] = CardState(key.subject_id, key.component, key.judge_id)
    elif isinstance(event, Scorecard.ScoresRecorded):
        card = state.cards[card_id]
        for change in event.changes:
            if change.new is None:
                card.scores.pop(change.code, None)
            else:
                card.scores[change.code] = change.new
    elif isinstance(event, Scorecard.Submitted):
        state.cards[card_id].submitted = True
        state.cards[card_id].reopened = False
    elif isinstance(event, Scorecard.Reopened):
        state.cards[card_id].submitted = False
        state.cards[card_id].reopened = True
