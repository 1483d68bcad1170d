"""People of a tenant: admins, judges (评委), auditors (监察室) and school reporters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated
from domain.records import EditableRecord, FieldChange, not_empty

ROLES = ("admin", "judge", "auditor", "reporter", "teacher")
AFFILIATION_KINDS = ("school", "community", "unit")


@dataclass(frozen=True)
class Affiliation:
    """Where a person belongs — what conflict-of-interest (回避) detection reads."""

    kind: str
    id: UUID


class User(EditableRecord, KaopingAggregate):
    """A person with one role in the tenant; tokens are issued to them, never stored here."""

    class Registered(KaopingAggregate.Created):
        name: str
        role: str
        affiliations: tuple[Affiliation, ...]
        subject: str | None = None  # a teacher's subject (学科)
        scope: UUID | None = None  # the org node an admin manages / a person hangs under (#16)

    class Edited(KaopingAggregate.Event):
        changes: tuple[FieldChange, ...]

    class Archived(KaopingAggregate.Event):
        pass

    class AffiliationsChanged(KaopingAggregate.Event):
        """任职变更: the affiliations from now on (the cause says who and why)."""

        affiliations: tuple[Affiliation, ...]

    class TokenIssued(KaopingAggregate.Event):
        pass

    class TokenRevoked(KaopingAggregate.Event):
        pass

    # Since issue 12: signing in to the pages (the link's code and the session's token are
    # never recorded, only their ids).
    class SignInLinkCreated(KaopingAggregate.Event):
        link_id: UUID | None = None
        expires_at: datetime | None = None

    class SignedIn(KaopingAggregate.Event):
        session_id: UUID | None = None
        link_id: UUID | None = None
        expires_at: datetime | None = None

    class SignedOut(KaopingAggregate.Event):
        session_id: UUID | None = None

    class SessionRevoked(KaopingAggregate.Event):
        session_id: UUID | None = None

    @classmethod
    def register(
        cls, name: str, role: str, affiliations: tuple[Affiliation, ...], cause: Cause,
        subject: str | None = None, scope: UUID | None = None,
    ) -> User:
        errors = []
        if not name.strip():
            errors.append(FieldError("name", "must not be empty"))
        if role not in ROLES:
            errors.append(FieldError("role", f"must be one of {', '.join(ROLES)}"))
        errors += affiliation_errors(affiliations)
        if errors:
            raise RuleViolated("the user is not valid", tuple(errors))
        return cls(name=name, role=role, affiliations=affiliations, cause=cause,
                   subject=subject, scope=scope)

    @event(Registered)
    def __init__(
        self, name: str, role: str, affiliations: tuple[Affiliation, ...], cause: Cause,
        subject: str | None = None, scope: UUID | None = None,
    ) -> None:
        self.scope = scope
        self.name = name
        self.role = role
        self.affiliations = affiliations
        self.subject = subject
        self.tokens_issued = 0
        self.archived = False

    invalid = "the user is not valid"

    def edit_errors(self, values: Mapping[str, str | None]) -> list[FieldError]:
        """An edit may change the name, or a teacher's subject (学科). Affiliations change
        through their own command, which re-derives 回避."""
        errors = not_empty(values, "name")
        if "subject" in values and self.role != "teacher":
            errors.append(FieldError("subject", "only a teacher has a subject"))
        return errors

    @event(Edited)
    def _edit(self, changes: tuple[FieldChange, ...], cause: Cause) -> None:
        for change in changes:
            setattr(self, change.field, change.new)

    @event(Archived)
    def _archive(self, cause: Cause) -> None:
        self.archived = True

    def change_affiliations(self, affiliations: tuple[Affiliation, ...], cause: Cause) -> bool:
        """Replace the affiliations, with a reason; False (and nothing recorded) if they are
        already these."""
        errors = affiliation_errors(affiliations)
        if not (cause.reason or "").strip():
            errors.append(FieldError("reason", "say why the affiliations change"))
        if errors:
            raise RuleViolated("the affiliations are not valid", tuple(errors))
        if set(affiliations) == set(self.affiliations):
            return False
        self._change_affiliations(affiliations=affiliations, cause=cause)
        return True

    @event(AffiliationsChanged)
    def _change_affiliations(self, affiliations: tuple[Affiliation, ...], cause: Cause) -> None:
        self.affiliations = affiliations

    @event(TokenIssued)
    def issue_token(self, cause: Cause) -> None:
        self.tokens_issued += 1

    @event(TokenRevoked)
    def revoke_token(self, cause: Cause) -> None:
        pass

    @event(SignInLinkCreated)
    def record_link_created(self, link_id: UUID, expires_at: datetime, cause: Cause) -> None:
        pass

    @event(SignedIn)
    def record_signed_in(self, session_id: UUID, link_id: UUID, expires_at: datetime,
                         cause: Cause) -> None:
        pass

    @event(SignedOut)
    def record_signed_out(self, session_id: UUID, cause: Cause) -> None:
        pass

    @event(SessionRevoked)
    def record_session_revoked(self, session_id: UUID, cause: Cause) -> None:
        pass


def affiliation_errors(affiliations: tuple[Affiliation, ...]) -> list[FieldError]:
    errors = []
    for i, affiliation in enumerate(affiliations):
        if affiliation.kind not in AFFILIATION_KINDS:
            errors.append(FieldError(f"affiliations[{i}].kind",
                                     f"must be one of {', '.join(AFFILIATION_KINDS)}"))
        elif affiliation in affiliations[:i]:
            errors.append(FieldError(f"affiliations[{i}]", "listed twice"))
    return errors
