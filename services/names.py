"""Claiming names on the write path, in the same save as the record that holds them.

Scopes (where two records may not share a name):
- ``school``: every school of the tenant;
- ``community``: every community of the tenant;
- ``user:<role>``: people of one role (one person may hold an admin and a judge account;
  namesakes of one role are told apart by a mark, e.g. 王芳（二中）);
- ``unit:<kind>:<school id>``: units of one kind within one school (two schools may each
  have a 语文教研组); studios (名师工作室), which have no school, within the tenant.

Records written before names were claimed get their claims once, on the first write that
needs one: every registration is read from the log (by topic), and each current name is
claimed (the first of any older duplicates keeps it) together with a ``NameIndex`` marker, in
one transaction. A write only claims names after that marker exists, so no older name is missed.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.community import Community
from domain.names import DuplicateName, NameClaim, NameIndex, claim_id, normalised
from domain.school import School
from domain.unit import Unit
from domain.user import User
from services.base import BaseApplication, Written

RECORDS = (School, User, Unit, Community)
PAGE = 500


def scope_of(record: Any) -> str:
    if isinstance(record, School):
        return "school"
    if isinstance(record, Community):
        return "community"
    if isinstance(record, User):
        return f"user:{record.role}"
    if isinstance(record, Unit):
        return f"unit:{record.kind}:{record.school_id or 'district'}"
    raise TypeError(f"{type(record).__name__} has no name scope")


class NameClaims(BaseApplication):
    _names_claimed = False

    def write_named(self, record: KaopingAggregate, cause: Cause,
                    old_name: str | None = None) -> Written:
        """Save a new (or renamed) record with its name claimed, and an old name released,
        all in one transaction; a duplicate is refused naming the record that holds it."""
        self.claim_older_names(cause)
        scope, name = scope_of(record), record.name  # type: ignore[attr-defined]
        claims: list[NameClaim] = []
        if old_name is None or normalised(old_name) != normalised(name):
            claims.append(self._claim(scope, name, record.id, cause))
            if old_name is not None:
                old = self.load_or_none(NameClaim, claim_id(scope, old_name))
                if old is not None and old.release(record.id, cause):
                    claims.append(old)
        try:
            return self.write(record, *claims)
        except IntegrityError:
            # Someone claimed the same name at the same moment: say who, if it was that.
            for claim in claims:
                self._check_free(self.load_or_none(NameClaim, claim.id), record.id)
            raise

    def _claim(self, scope: str, name: str, holder_id: UUID, cause: Cause) -> NameClaim:
        claim = self.load_or_none(NameClaim, claim_id(scope, name))
        if claim is None:
            return NameClaim(scope=scope, name=name, holder_id=holder_id, cause=cause)
        self._check_free(claim, holder_id)
        claim.retake(name, holder_id, cause)
        return claim  # type: ignore[no-any-return]

    def _check_free(self, claim: NameClaim | None, holder_id: UUID) -> None:
        if claim is None or not claim.held_by_another(holder_id):
            return
        assert claim.holder_id is not None
        holder = self.load_or_none(KaopingAggregate, claim.holder_id)
        raise DuplicateName(claim.holder_id, getattr(holder, "name", claim.name),
                            getattr(holder, "archived", False))

    def claim_older_names(self, cause: Cause) -> None:
        if self._names_claimed or self.load_or_none(NameIndex, NameIndex.ID) is not None:
            self._names_claimed = True
            return
        topics = [get_topic(cls.Registered) for cls in RECORDS]  # type: ignore[attr-defined]
        ids: list[UUID] = []
        start = 1
        while True:
            page = self.recorder.select_notifications(start, PAGE, topics=topics)
            ids += [n.originator_id for n in page]
            if len(page) < PAGE:
                break
            start = page[-1].id + 1
        claims: dict[UUID, NameClaim] = {}
        why = cause.because("names of records made before names were checked")
        for record_id in ids:
            record = self.repository.get(record_id)
            key = claim_id(scope_of(record), record.name)
            if key not in claims:  # older duplicates: the first keeps the name
                claims[key] = NameClaim(scope=scope_of(record), name=record.name,
                                        holder_id=record.id, cause=why)
        # Another request may claim them at the same moment: then the marker exists anyway.
        with suppress(IntegrityError):
            self.save(NameIndex(claimed=len(claims), cause=why), *claims.values())
        self._names_claimed = True
