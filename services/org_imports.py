"""Imports of communities (教研共同体: core school, members, from a date) and research units
(教研组 / 备课组 / 工作坊 with their school, host and members), by the names a district uses.
Schools and people are found by their name claims, as a person would name them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.cause import Cause
from domain.community import Community
from domain.errors import RuleViolated
from domain.names import NameClaim, claim_id
from domain.unit import Unit
from domain.user import ROLES

if TYPE_CHECKING:  # services.imports mixes this in
    from services.imports import Plan, Row

# A member is looked for among teachers first, then the other roles.
PEOPLE = ("teacher", *(r for r in ROLES if r != "teacher"))
FIELD_OF = {"core_school_id": "core", "member_school_ids": "members", "school_id": "school",
            "host_user_id": "host", "member_user_ids": "members", "parent_id": "parent"}


class OrganisationImports:
    """Mixed into the tenant's application (``_claims_read``, ``_unique_name``,
    ``_claim_in``, ``load_or_none``)."""

    def _find(self: Any, plan: Plan, number: int, field: str, scopes: Sequence[str],
              name: str, what: str) -> UUID | None:
        for scope in scopes:
            claim = self.load_or_none(NameClaim, claim_id(scope, name))
            plan.reads[str(claim_id(scope, name))] = claim.version if claim else 0
            if claim is not None and claim.holder_id is not None:
                return claim.holder_id  # type: ignore[no-any-return]
        plan.refuse(number, field, f"no {what} named {name}")
        return None

    def _plan_communities(self: Any, plan: Plan, rows: Sequence[Row], cause: Cause) -> Plan:
        existing = self._claims_read(plan, [("community", str(v.get("name") or ""))
                                            for _, v in rows])
        seen: dict[str, int] = {}
        for number, values in rows:
            name = str(values.get("name") or "").strip()
            if not self._unique_name(plan, number, name, seen, existing, "community"):
                continue
            core = self._find(plan, number, "core", ("school",),
                              str(values.get("core") or ""), "school")
            members = [self._find(plan, number, "members", ("school",), m, "school")
                       for m in values.get("members") or ()]
            if core is None or None in members:
                continue
            try:
                community = Community.register(
                    name, str(values.get("type") or ""), str(values.get("scope") or ""), core,
                    tuple(m for m in members if m), date.fromisoformat(str(values["since"])),
                    cause)
            except RuleViolated as refused:
                for e in refused.errors:
                    plan.refuse(number, FIELD_OF.get(e.field, e.field), e.message)
                continue
            plan.records.append(community)
            self._claim_in(plan, existing, "community", name, community.id, cause)
        return plan

    def _plan_units(self: Any, plan: Plan, rows: Sequence[Row], cause: Cause) -> Plan:
        seen: dict[str, int] = {}
        for number, values in rows:
            name, kind = str(values.get("name") or "").strip(), str(values.get("kind") or "")
            school = None
            if values.get("school"):
                school = self._find(plan, number, "school", ("school",),
                                    str(values["school"]), "school")
            host = None
            if values.get("host"):
                host = self._find(plan, number, "host", [f"user:{r}" for r in PEOPLE],
                                  str(values["host"]), "person")
            members = [self._find(plan, number, "members", [f"user:{r}" for r in PEOPLE], m,
                                  "person") for m in values.get("members") or ()]
            parent = None
            if values.get("parent") and school is not None:
                found = self._find(plan, number, "parent", [f"unit:research_group:{school}"],
                                   str(values["parent"]), "research group")
                parent = self.load_or_none(Unit, found) if found else None
            if None in members or (values.get("school") and school is None) or (
                    values.get("host") and host is None):
                continue
            scope = f"unit:{kind}:{school or 'district'}"
            existing = self._claims_read(plan, [(scope, name)])
            if not self._unique_name(plan, number, name, seen, existing, scope):
                continue
            try:
                unit = Unit.register(kind, name, school, str(values.get("subject") or "") or None,
                                     host, tuple(m for m in members if m), cause, parent)
            except RuleViolated as refused:
                for e in refused.errors:
                    plan.refuse(number, FIELD_OF.get(e.field, e.field), e.message)
                continue
            plan.records.append(unit)
            self._claim_in(plan, existing, scope, name, unit.id, cause)
        return plan
