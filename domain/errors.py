"""What can go wrong in the domain, in a small named hierarchy (mapped to HTTP in one table)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One broken rule, pointing at the field that broke it."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every refusal the domain makes."""

    def __init__(self, detail: str, errors: tuple[FieldError, ...] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class RuleViolated(DomainError):
    """Well-formed input that breaks a rule (points over the maximum, a duplicate code…)."""


class NotFound(DomainError):
    """The thing asked for does not exist in this tenant."""


class StateConflict(DomainError):
    """The request does not fit the current state (closed assessment, illegal step…)."""


class NotPermitted(DomainError):
    """The actor's role or assignment does not allow this."""


class StaleVersion(DomainError):
    """The caller's If-Match version is not the current one."""


class OverQuota(DomainError):
    """Storing this would pass a limit on storage (配额): the tenant's or a user's day's."""

    def __init__(self, detail: str, limit: int, used: int) -> None:
        super().__init__(detail)
        self.extra = {"limit_bytes": limit, "used_bytes": used}
