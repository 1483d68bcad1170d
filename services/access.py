"""Who may see and do what beyond their role: each rule once, named from the domain.

The guard (``adapters/http/auth.py``) admits a role to a route; these rules then decide on
the records, and the handlers and services call them rather than restate them:

- ``card_holder`` — 评分表: whose card a request speaks of.
- ``assessment_seen_by``, ``subject_seen_by``, ``subjects_seen_by`` — 盲评: what of a round
  a judge sees (anything else is 404, as if it did not exist).
- ``recusals_seen_by`` — 回避: a judge sees which subjects they stand aside from, and why.
- ``sits_on`` — 评委: the rounds a judge sits on (their home page lists these).
- ``check_board_open_to`` — 盲评: judges see the board once the round has closed.
- ``check_may_replay`` — who may ask for the board as it stood (``as_of``).
- ``speaks_for`` / ``reports_for`` — 填报员: which subjects and activities a reporter files
  and reads (their own school's).
- ``annual_line_open_to`` / ``check_reads_annual_line`` — 年度考核: a reporter reads their own
  school's annual line, once the review is published to the schools (公布).
- ``scope_of`` (``services/scope.py``) — 填报员: which units a reporter may name on an
  activity (those of the schools they belong to).
- ``check_in_scope``, ``node_of`` (``services/scope.py``) — 组织层级: an admin scoped to an
  org node (a 县 admin) manages only the records that hang under it; others are 404.

Rules that belong to a record's state stay with it: only the panel scores, and a judge
reopens a card only while the round is open (``domain/assessment.py``); who opens a piece of
evidence is decided in ``services/evidence.py``, with the rules above.

``RULES`` lists them for ``docs/make_access_table.py``, which writes them into docs/access.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from domain.assessment import Assessment, Subject
from domain.errors import NotFound, NotPermitted, RuleViolated
from domain.shaping import sits_for
from domain.unit import Unit
from domain.user import Affiliation, User
from services.scope import NodeScopes, ScopeRules

JUDGE = "judge"
REPORTER = "reporter"
REPLAYERS = frozenset({"admin", "auditor"})


# -- 评分表: whose card ------------------------------------------------------------------------

def card_holder(role: str, user_id: UUID | None, judge_id: UUID | None) -> UUID:
    """A judge's card is their own: a judge naming another judge is refused. Admins and
    auditors name the judge whose card they mean (``judge_id`` is then required)."""
    if role == JUDGE:
        if judge_id is not None and judge_id != user_id:
            raise NotPermitted("judges see only their own cards")
        assert user_id is not None
        return user_id
    if judge_id is None:
        raise RuleViolated("judge_id is required", ())
    return judge_id


# -- 盲评: what of a round a judge sees ---------------------------------------------------------

def subjects_seen_by(assessment: Assessment, role: str,
                     user_id: UUID | None) -> tuple[Subject, ...]:
    """A judge sees only the subjects they score: on the panel, not recused (回避). Admins,
    auditors and reporters see every subject of the round."""
    if role != JUDGE:
        return tuple(assessment.subjects.values())
    return assessment.scored_by(user_id) if user_id is not None else ()


def recusals_seen_by(assessment: Assessment, role: str,
                     user_id: UUID | None) -> tuple[Subject, ...]:
    """回避: a judge sees the subjects they stand aside from by name (so they know why they
    do not score them), and nothing else of them: no card, self-assessment or evidence."""
    if role != JUDGE or user_id is None or user_id not in assessment.panel:
        return ()
    groups = assessment.panel_groups.get(user_id, ())  # another 考核组's: not theirs to know
    return tuple(s for s in assessment.subjects.values()
                 if assessment.is_recused(user_id, s.id) and sits_for(groups, s))


def sits_on(assessment: Assessment, role: str, user_id: UUID | None) -> bool:
    """A judge sees a round only if they sit on its panel; others see every round."""
    return role != JUDGE or user_id in assessment.panel


def check_board_open_to(assessment: Assessment, role: str) -> None:
    """Judges work blind: the board opens to them only when the round closes."""
    if role == JUDGE and assessment.status in ("draft", "open"):
        raise NotPermitted("judges work blind: the board opens to them when the round closes")


def check_may_replay(role: str) -> None:
    """Only admins and auditors replay the board as it stood at a moment (``as_of``)."""
    if role not in REPLAYERS:
        raise NotPermitted("only admins and auditors replay the board")


# -- 填报员: whom a reporter speaks for ----------------------------------------------------------

def speaks_for(affiliations: tuple[Affiliation, ...], kind: str, ref_id: UUID,
               school_id: UUID | None) -> bool:
    """A reporter files and reads for a school, community or research unit they belong to
    themselves, or one that belongs to their school (a unit's school, a community's core
    school). ``kind`` is the affiliation kind: school, community or unit."""
    mine = {(a.kind, a.id) for a in affiliations}
    return (kind, ref_id) in mine or (school_id is not None and ("school", school_id) in mine)


def annual_line_open_to(published: bool, school_id: UUID, role: str,
                        affiliations: tuple[Affiliation, ...]) -> bool:
    """年度考核: a reporter reads a school's annual line only for a school they belong to,
    and only once the district has published (公布) the review to the schools; anything else
    is 404 to them, as if it did not exist. Admins and auditors read every line."""
    if role != REPORTER:
        return True
    return published and speaks_for(affiliations, "school", school_id, None)


class AccessRules(NodeScopes):
    """The rules above that must read the tenant's records to decide."""

    def assessment_seen_by(self, assessment_id: UUID, role: str,
                           user_id: UUID | None) -> Assessment:
        """The round, if the caller may see it: a judge only one whose panel they sit on
        (otherwise 404, as if it did not exist)."""
        assessment: Assessment = self.assessment(assessment_id)  # type: ignore[attr-defined]
        if not sits_on(assessment, role, user_id):
            raise NotFound(f"no assessment {assessment_id}")
        return assessment

    def subject_seen_by(self, assessment: Assessment, subject_id: UUID, role: str,
                        user_id: UUID | None) -> Subject:
        """The subject, if the caller may see it: a judge only one they score (otherwise
        404, as if it did not exist)."""
        subject = assessment.subject(subject_id)
        if role == JUDGE and subject not in subjects_seen_by(assessment, role, user_id):
            raise NotFound("no such subject in this assessment")
        return subject

    def reports_for(self, reporter: User, subject: Subject) -> bool:
        """The subject is the reporter's own (``speaks_for``): they self-assess it, read its
        self-assessment and open the evidence it gives."""
        school = subject.core_school_id if subject.kind == "community" else None
        if subject.kind == "unit":
            unit: Unit = self.load(Unit, subject.ref_id, "unit")
            school = unit.school_id
        return speaks_for(reporter.affiliations, subject.kind, subject.ref_id, school)

    def check_reads_self_assessment(self, subject: Subject, role: str,
                                    user_id: UUID | None) -> None:
        """A reporter reads only their own school's self-assessments."""
        if role != REPORTER:
            return
        assert user_id is not None
        if not self.reports_for(self.user(user_id), subject):  # type: ignore[attr-defined]
            raise NotPermitted("a reporter sees only their own school's self-assessment")

    def check_reads_annual_line(self, review_id: UUID, published: bool, school_id: UUID,
                                role: str, user_id: UUID | None) -> None:
        """A reporter reads only their own school's annual line of a published review
        (``annual_line_open_to``); otherwise 404 with the words a missing record gets: an
        unpublished review as if there were none, another school's line as if it had none."""
        if role != REPORTER:
            return
        if not published:
            raise NotFound(f"no annual review {review_id}")
        user: User | None = self.user(user_id) if user_id is not None else None  # type: ignore[attr-defined]
        if user is None or not annual_line_open_to(published, school_id, role,
                                                   user.affiliations):
            raise NotFound("the school has no line in this annual review")


RULES: tuple[Callable[..., Any], ...] = (
    card_holder, AccessRules.assessment_seen_by, AccessRules.subject_seen_by,
    subjects_seen_by, recusals_seen_by, sits_on, check_board_open_to, check_may_replay,
    speaks_for, AccessRules.reports_for, AccessRules.check_reads_self_assessment,
    annual_line_open_to, AccessRules.check_reads_annual_line,
    ScopeRules.scope_of, NodeScopes.check_in_scope, NodeScopes.node_of)
