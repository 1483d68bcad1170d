"""考核 — one assessment round: components, ranking groups, subjects, panel, lifecycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import NotRequired, TypedDict
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Snapshot, event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.completeness import OVERRIDES, BelowQuorum, MissingCard, Shortfall, incomplete
from domain.conflicts import (
    CATEGORIES,
    DECLARED,
    FOLLOWS_FACTS,
    Conflict,
    RecusalChange,
    recusal_changes,
)
from domain.drafting import (
    check_move,
    check_order,
    check_setup_change,
    draw_order,
    is_ordered,
    merged,
    needs_reason,
    without_groups,
)
from domain.errors import FieldError, NotFound, NotPermitted, RuleViolated, StateConflict
from domain.setup import (
    NEXT_STATUS,
    SUBJECT_KINDS,
    Aggregation,
    CommunityWeight,
    Component,
    GroupOrder,
    Period,
    Quota,
    RankingGroup,
    Setup,
    Subject,
    Tier,
    check_setup,
)
from domain.shaping import check_groups, check_subject_components, sits_for
from domain.terms import JudgeIsRecused, ScoringTerms

__all__ = ["Aggregation", "Assessment", "CommunityWeight", "Component", "GroupOrder",
           "JudgeIsRecused", "Period", "PublishedResult", "PublishedScore", "Quota",
           "RankingGroup", "Setup", "Subject", "Tier", "draw_order", "subject_for",
           "subject_id_for"]

def subject_id_for(assessment_id: UUID, kind: str, ref_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kaoping:assessment/{assessment_id}/subject/{kind}/{ref_id}")


class AssessmentState(TypedDict):
    """An assessment's state, typed, so its snapshots decode exactly."""

    _created_on: datetime
    _modified_on: datetime
    setup: Setup
    status: str
    subjects: dict[UUID, Subject]
    panel: dict[UUID, str]
    recusals: dict[str, str]
    order: tuple[GroupOrder, ...]
    published: tuple[PublishedResult, ...]
    panel_groups: NotRequired[dict[UUID, tuple[str, ...]]]  # since issue 15 (考核组)
    node_id: NotRequired[UUID | None]  # since issue 16 (组织层级)


class Assessment(KaopingAggregate):
    """One 考核 round, from draft to publication."""

    # judge → their 考核组; judges of the whole panel are not listed. Replaced, never
    # changed in place, so this class default (for rounds and snapshots older than sub-panels)
    # is never written to.
    # (A type comment, not an annotation: the aggregate is a dataclass, and this is no field.)
    panel_groups = MappingProxyType({})  # type: Mapping[UUID, tuple[str, ...]]
    # The org node whose round it is (issue 16): None for rounds and snapshots from before.
    node_id = None  # type: UUID | None

    class Snapshot(Snapshot):
        """Taken every ~100 events (see the application); rebuilding starts from it."""

        state: AssessmentState

    class Created(KaopingAggregate.Created):
        setup: Setup
        node_id: UUID | None = None  # the org node whose round it is (since issue 16)

    class SubjectAdded(KaopingAggregate.Event):
        subject: Subject

    class JudgeAdded(KaopingAggregate.Event):
        judge_id: UUID
        name: str
        groups: tuple[str, ...] = ()  # 考核组 (since issue 15); none: the whole panel

    class OrderDrawn(KaopingAggregate.Event):
        seed: str
        order: tuple[GroupOrder, ...]

    class StatusChanged(KaopingAggregate.Event):
        """A lifecycle step. ``override`` (force / accept_incomplete) is set when the admin
        took the step over what was missing, listed beside it; the reason is in the cause."""

        status: str
        override: str | None = None
        missing: tuple[MissingCard, ...] = ()
        below_quorum: tuple[BelowQuorum, ...] = ()

    class ResultsPublished(KaopingAggregate.Event):
        """公示: the results as published, with the log head they follow from."""

        results: tuple[PublishedResult, ...]
        log_position: int
        log_head: str

    class JudgeRecused(KaopingAggregate.Event):
        judge_id: UUID
        subject_id: UUID
        category: str

    class RecusalLifted(KaopingAggregate.Event):
        """A derived recusal whose conflict no longer holds; the cause says what changed."""

        judge_id: UUID
        subject_id: UUID

    class RecusedScoringRefused(KaopingAggregate.Event):
        judge_id: UUID
        subject_id: UUID
        component: str

    # Corrections to a draft, and an order entered by hand (their rules: domain.drafting).
    class SubjectRemoved(KaopingAggregate.Event):
        subject_id: UUID
        name: str
        group: str

    class SubjectMoved(KaopingAggregate.Event):
        subject_id: UUID
        name: str
        from_group: str
        group: str

    class SetupChanged(KaopingAggregate.Event):
        setup: Setup
        changed: tuple[str, ...]  # the Setup fields that changed, for the history

    class OrderEntered(KaopingAggregate.Event):
        """出场顺序 entered by hand, for the groups named (the others keep theirs)."""

        order: tuple[GroupOrder, ...]

    @classmethod
    def create(cls, setup: Setup, cause: Cause, node_id: UUID | None = None) -> Assessment:
        check_setup(setup)
        return cls(setup=setup, cause=cause, node_id=node_id)

    @event(Created)
    def __init__(self, setup: Setup, cause: Cause, node_id: UUID | None = None) -> None:
        self.node_id = node_id
        self.setup = setup
        self.status = "draft"
        self.subjects: dict[UUID, Subject] = {}
        self.panel: dict[UUID, str] = {}
        self.recusals: dict[str, str] = {}  # "judge/subject" → category
        self.order: tuple[GroupOrder, ...] = ()
        self.published: tuple[PublishedResult, ...] = ()

    # -- structure -------------------------------------------------------------------------

    def add_subject(self, subject: Subject, cause: Cause) -> UUID:
        """Add a subject built by ``subject_for`` (its id is derived from kind and ref)."""
        self.check_status("draft", "open")
        if subject.kind not in SUBJECT_KINDS:
            raise RuleViolated("unknown subject kind", (FieldError("kind", "must be one of "
                                                                   + ", ".join(SUBJECT_KINDS)),))
        if subject.group not in {g.key for g in self.setup.groups}:
            raise RuleViolated("unknown ranking group",
                               (FieldError("group", f"no group {subject.group}"),))
        if subject.id != subject_id_for(self.id, subject.kind, subject.ref_id):
            raise RuleViolated("the subject id is derived, not chosen", ())
        if errors := check_subject_components(self.setup, subject.components):
            raise RuleViolated("unknown component for this subject", tuple(errors))
        if subject.id in self.subjects:
            raise StateConflict(f"this {subject.kind} is already a subject of the assessment")
        self._add_subject(subject=subject, cause=cause)
        return subject.id

    @event(SubjectAdded)
    def _add_subject(self, subject: Subject, cause: Cause) -> None:
        self.subjects[subject.id] = subject

    def add_judge(
        self, judge_id: UUID, name: str, conflicts: tuple[Conflict, ...], cause: Cause,
        groups: tuple[str, ...] = (),
    ) -> None:
        """Add a judge (to the 考核组 ``groups`` only, if given); recuse them at once from
        every subject they are affiliated with (the conflict rules ignore the groups)."""
        self.check_status("draft", "open")
        if judge_id in self.panel:
            raise StateConflict("the judge is already on the panel")
        if errors := check_groups(self.setup, groups):
            raise RuleViolated("unknown 考核组", tuple(errors))
        for conflict in conflicts:
            self.subject(conflict.subject_id)
        self._add_judge(judge_id=judge_id, name=name, cause=cause, groups=groups)
        self.rederive_recusals({judge_id: conflicts}, cause)

    @event(JudgeAdded)
    def _add_judge(self, judge_id: UUID, name: str, cause: Cause,
                   groups: tuple[str, ...] = ()) -> None:
        self.panel[judge_id] = name
        if groups:
            self.panel_groups = {**self.panel_groups, judge_id: tuple(groups)}

    def declare_recusal(self, judge_id: UUID, subject_id: UUID, cause: Cause) -> None:
        """A judge stands aside from a subject, with a reason; their cards for it are void."""
        self.check_status("draft", "open", "closed")
        self.subject(subject_id)
        if judge_id not in self.panel:
            raise NotPermitted("the judge is not on this assessment's panel")
        if self.is_recused(judge_id, subject_id):
            raise StateConflict("the judge is already recused from this subject")
        if not (cause.reason or "").strip():
            raise RuleViolated("a recusal needs a reason", (FieldError("reason", "required"),))
        self._recuse(judge_id=judge_id, subject_id=subject_id, category=DECLARED, cause=cause)

    @event(JudgeRecused)
    def _recuse(self, judge_id: UUID, subject_id: UUID, category: str, cause: Cause) -> None:
        assert category in CATEGORIES
        self.recusals[f"{judge_id}/{subject_id}"] = category

    def rederive_recusals(
        self, conflicts: Mapping[UUID, tuple[Conflict, ...]], cause: Cause
    ) -> tuple[RecusalChange, ...]:
        """Bring these judges' derived recusals to their conflicts over the current facts
        (declared ones stay). ``cause.reason`` says what changed; each event adds why."""
        self.check_status(*FOLLOWS_FACTS)
        for judge_id, found in conflicts.items():
            if judge_id not in self.panel:
                raise NotPermitted("the judge is not on this assessment's panel")
            for conflict in found:
                self.subject(conflict.subject_id)
        changes = recusal_changes(self.recusals, conflicts)
        for change in changes:
            why = cause.because(f"{change.reason}（{cause.reason}）" if cause.reason
                                else change.reason)
            if change.category is None:
                self._lift(judge_id=change.judge_id, subject_id=change.subject_id, cause=why)
            else:
                self._recuse(judge_id=change.judge_id, subject_id=change.subject_id,
                             category=change.category, cause=why)
        return changes

    @event(RecusalLifted)
    def _lift(self, judge_id: UUID, subject_id: UUID, cause: Cause) -> None:
        self.recusals.pop(f"{judge_id}/{subject_id}", None)

    def is_recused(self, judge_id: UUID, subject_id: UUID) -> bool:
        return f"{judge_id}/{subject_id}" in self.recusals

    def scored_by(self, judge_id: UUID) -> tuple[Subject, ...]:
        """The subjects a judge scores: none unless on the panel; only their 考核组's; never
        one they stand aside from (回避)."""
        if judge_id not in self.panel:
            return ()
        groups = self.panel_groups.get(judge_id, ())
        return tuple(s for s in self.subjects.values()
                     if sits_for(groups, s) and not self.is_recused(judge_id, s.id))

    @event(RecusedScoringRefused)
    def refuse_recused_scoring(
        self, judge_id: UUID, subject_id: UUID, component: str, cause: Cause
    ) -> None:
        """A recused judge tried to score (as recorded by earlier releases, which put the
        attempt on the assessment; now each refusal is its own Refusal). Kept so that stored
        events replay as they were."""

    def draw(self, seed: str, cause: Cause) -> tuple[GroupOrder, ...]:
        """抽签: the same seed always gives the same order. Drawing again needs a reason."""
        self.check_status("draft", "open")
        if is_ordered(self.order):
            needs_reason(cause, "the order has been drawn or entered already: "
                                "a second draw needs a reason")
        order = draw_order(seed, self.setup.groups, tuple(self.subjects.values()))
        self._draw(seed=seed, order=order, cause=cause)
        return order

    @event(OrderDrawn)
    def _draw(self, seed: str, order: tuple[GroupOrder, ...], cause: Cause) -> None:
        self.order = order

    # -- corrections to a draft; the order entered by hand (rules: domain.drafting) --------

    def remove_subject(self, subject_id: UUID, cause: Cause) -> None:
        """Take a subject out of a draft; the order of its group is void (drafting)."""
        self.check_status("draft")
        subject = self.subject(subject_id)
        self._remove_subject(subject_id=subject_id, name=subject.name, group=subject.group,
                             cause=cause)

    @event(SubjectRemoved)
    def _remove_subject(self, subject_id: UUID, name: str, group: str, cause: Cause) -> None:
        del self.subjects[subject_id]
        self.order = without_groups(self.order, (group,))
        self.recusals = {k: v for k, v in self.recusals.items()
                         if not k.endswith(f"/{subject_id}")}

    def move_subject(self, subject_id: UUID, group: str, cause: Cause) -> None:
        """Move a subject of a draft to another ranking group; both groups' orders are void."""
        self.check_status("draft")
        subject = self.subject(subject_id)
        if check_move(self.setup, subject, group):
            self._move_subject(subject_id=subject_id, name=subject.name,
                               from_group=subject.group, group=group, cause=cause)

    @event(SubjectMoved)
    def _move_subject(
        self, subject_id: UUID, name: str, from_group: str, group: str, cause: Cause
    ) -> None:
        self.subjects[subject_id] = replace(self.subjects[subject_id], group=group)
        self.order = without_groups(self.order, (from_group, group))

    def change_setup(self, setup: Setup, cause: Cause) -> tuple[str, ...]:
        """Change a draft's components, groups, tiers…: checked as at creation, and against
        the subjects already placed. Answers the fields that changed."""
        self.check_status("draft")
        changed = check_setup_change(self.setup, setup, self.subjects.values())
        if changed:
            self._change_setup(setup=setup, changed=changed, cause=cause)
        return changed

    @event(SetupChanged)
    def _change_setup(self, setup: Setup, changed: tuple[str, ...], cause: Cause) -> None:
        self.setup = setup
        self.order = tuple(o for o in self.order if o.group in {g.key for g in setup.groups})

    def enter_order(self, order: Mapping[str, tuple[UUID, ...]], cause: Cause) -> None:
        """出场顺序 by hand: each group named lists exactly its subjects, each once."""
        self.check_status("draft", "open")
        self._enter_order(order=check_order(order, self.setup, self.subjects, self.order,
                                            cause), cause=cause)

    @event(OrderEntered)
    def _enter_order(self, order: tuple[GroupOrder, ...], cause: Cause) -> None:
        self.order = merged(self.order, order, self.setup)

    # -- lifecycle -------------------------------------------------------------------------

    def advance(self, to: str, cause: Cause, shortfall: Shortfall | None = None,
                override: bool = False) -> None:
        """The next step. Closing needs every card in, finalising also every subject at
        quorum, as found in ``shortfall``; ``override`` (a reason in the cause) overrides."""
        if NEXT_STATUS.get(self.status) != to:
            raise StateConflict(f"an assessment that is {self.status} cannot become {to}")
        if to == "published":
            raise StateConflict("publish with the results: use publish()")
        if to == "open" and not self.subjects:
            raise StateConflict("add subjects before opening the assessment")
        shortfall = shortfall or Shortfall()
        counted = Shortfall(shortfall.missing,
                            shortfall.below_quorum if to == "finalised" else ())
        name = OVERRIDES.get(to)
        if override and not (cause.reason or "").strip():
            raise RuleViolated(f"{name} needs a reason", (FieldError(str(name), "required"),))
        if counted and not override:
            raise incomplete(to, counted, self.panel, self.subjects, self.setup)
        if counted:
            self._change_status(status=to, cause=cause, override=name,
                                missing=counted.missing, below_quorum=counted.below_quorum)
        else:
            self._change_status(status=to, cause=cause)

    def reopen(self, cause: Cause) -> None:
        """重新开放: the admin takes a closed round back to open, with a reason, so that
        reopened or missing cards can be scored again. A published round is reopened to be
        corrected (e.g. after an appeal): its sheet stays in the log, and publishing again
        records the corrected one beside it (annual reviews reading it follow, ADR 0026)."""
        if self.status not in ("closed", "published"):
            raise StateConflict(f"only a closed assessment can be reopened; this one is "
                                f"{self.status}")
        if not (cause.reason or "").strip():
            raise RuleViolated("reopening the assessment needs a reason",
                               (FieldError("reason", "required"),))
        self._change_status(status="open", cause=cause)

    @event(StatusChanged)
    def _change_status(
        self, status: str, cause: Cause, override: str | None = None,
        missing: tuple[MissingCard, ...] = (), below_quorum: tuple[BelowQuorum, ...] = (),
    ) -> None:
        self.status = status

    def check_card_reopening(self, role: str) -> None:
        """The admin reopens cards while the round is open or closed (then reopens the
        round for the judge); a judge reopens their own only while it is open."""
        if role == "judge" and self.status != "open":
            raise StateConflict(f"the assessment is {self.status}: only the admin can reopen "
                                "a card now")
        self.check_status("open", "closed")

    def publish(
        self, results: tuple[PublishedResult, ...], log_position: int, log_head: str,
        cause: Cause,
    ) -> None:
        """Publish the finalised results, stamped with the hash-chain head of the log."""
        if self.status != "finalised":
            raise StateConflict(f"an assessment that is {self.status} cannot be published")
        self._publish(results=results, log_position=log_position, log_head=log_head,
                      cause=cause)

    @event(ResultsPublished)
    def _publish(
        self, results: tuple[PublishedResult, ...], log_position: int, log_head: str,
        cause: Cause,
    ) -> None:
        self.status = "published"
        self.published = results

    # -- questions asked before scoring ----------------------------------------------------

    def check_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise StateConflict(f"the assessment is {self.status}")

    def component(self, key: str) -> Component:
        for component in self.setup.components:
            if component.key == key:
                return component
        raise NotFound(f"no component {key} in this assessment")

    def subject(self, subject_id: UUID) -> Subject:
        try:
            return self.subjects[subject_id]
        except KeyError:
            raise NotFound("no such subject in this assessment") from None

    def terms(self) -> ScoringTerms:
        """What score writes need from this version, as an immutable value."""
        return ScoringTerms.of(self.id, self.version, self.status, self.setup, self.subjects,
                               frozenset(self.panel), frozenset(self.recusals),
                               self.panel_groups)

    def scoring_terms(self, judge_id: UUID, subject_id: UUID, key: str) -> Component:
        """What a judge may score: their panel's subjects, while the round is open."""
        return self.terms().check(judge_id, subject_id, key)


@dataclass(frozen=True)
class PublishedResult:
    """One subject's line on the published sheet."""

    subject_id: UUID
    final: Decimal | None
    tier: str | None
    rank: int | None
    # Each component's score as published (sheets published before 2026-12 have none).
    components: tuple[PublishedScore, ...] = ()


@dataclass(frozen=True)
class PublishedScore:
    """A component's aggregated score on the published sheet (what annual parts read)."""

    key: str
    score: Decimal | None


def subject_for(
    assessment_id: UUID, kind: str, ref_id: UUID, name: str, group: str,
    community_type: str | None = None, core_school_id: UUID | None = None,
    member_school_ids: tuple[UUID, ...] = (), components: tuple[str, ...] = (),
    role: str | None = None,
) -> Subject:
    return Subject(subject_id_for(assessment_id, kind, ref_id), kind, ref_id, name, group,
                   community_type, core_school_id, member_school_ids, components, role)
