"""What the activity pages read: an activity's story from its own events (opinions, 文号,
the record of the day, the summary), the tenant's units by name, and which of them a
reporter speaks for (``services.access.speaks_for``, the API's rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from adapters.container import Container
from adapters.web import activity_words as words
from domain.activity import Activity, Opinion
from domain.errors import NotFound, NotPermitted
from domain.evidence import display_name
from domain.user import User
from services.access import speaks_for
from tenants.model import Principal


@dataclass(frozen=True)
class Unit:
    id: str
    kind: str
    name: str
    school_id: str | None

    @property
    def label(self) -> str:
        return f"{self.name}（{words.UNIT_KINDS.get(self.kind, self.kind)}）"


@dataclass(frozen=True)
class Review:
    approved: bool
    opinions: tuple[Opinion, ...]
    at: datetime


@dataclass(frozen=True)
class Shown:
    """A piece of evidence as the page lists it."""

    id: UUID
    name: str
    content_type: str
    size: int


@dataclass
class Story:
    """One activity with everything its events say."""

    activity: Activity
    unit: Unit | None
    applied_at: datetime | None = None
    reviews: list[Review] = field(default_factory=list)
    document: str | None = None
    held: Any = None  # Activity.Held
    summary: Any = None  # Activity.Summarised
    evidence: list[Shown] = field(default_factory=list)

    @property
    def state(self) -> str:
        return words.STATES.get(self.activity.status, self.activity.status)

    @property
    def last_opinions(self) -> tuple[Opinion, ...]:
        return self.reviews[-1].opinions if self.reviews else ()

    def next_step(self, steps: dict[str, str]) -> str:
        """What comes next, from ``steps`` (the school's or the office's words)."""
        if self.activity.status == "summarised" and self.activity.certificates \
                and not self.uncertified:
            return "活动证书已颁发：持证人可凭证书编号或二维码查验。"
        return steps.get(self.activity.status, "")

    @property
    def uncertified(self) -> list[str]:
        holders = {c.holder for c in self.activity.certificates}
        return [p.name for p in self.activity.participants if p.name not in holders]


def units(container: Container, tenant: str) -> dict[str, Unit]:
    """Every unit an activity may belong to, by id (as text)."""
    with container.views(tenant) as views:
        found = [Unit(str(u["id"]), u["kind"], u["name"],
                      str(u["school_id"]) if u["school_id"] else None) for u in views.units()]
        found += [Unit(c["id"], "community", c["name"], c.get("core_school_id"))
                  for c in views.communities()]
        found += [Unit(str(s["id"]), "school", s["name"], str(s["id"]))
                  for s in views.schools()]
    return {u.id: u for u in found}


def reporter(container: Container, tenant: str, who: Principal) -> User | None:
    """The signed-in reporter as the services check them; None for anyone else."""
    if who.role != "reporter" or who.user_id is None:
        return None
    return container.app(tenant).user(who.user_id)  # type: ignore[no-any-return]


def speaks_for_unit(user: User | None, unit: Unit) -> bool:
    """``speaks_for`` over a unit of the list (an admin speaks for every unit)."""
    if user is None:
        return True
    kind = unit.kind if unit.kind in ("school", "community") else "unit"
    school = UUID(unit.school_id) if unit.school_id else None
    return speaks_for(user.affiliations, kind, UUID(unit.id), school)


def activities(container: Container, tenant: str, user: User | None,
               all_units: dict[str, Unit]) -> list[dict[str, Any]]:
    """The activities the viewer may see, each with its unit, day and state in words."""
    container.caught_up(tenant)
    with container.views(tenant) as views:
        rows = views.activities()
    out = []
    for row in rows:
        unit = all_units.get(row["unit_id"])
        if user is not None and (unit is None or not speaks_for_unit(user, unit)):
            continue
        day = row["held_on"] or row["planned_on"]
        out.append(row | {"unit_name": unit.name if unit else row["unit_id"],
                          "kind_name": words.UNIT_KINDS.get(row["unit_kind"], ""),
                          "day": date.fromisoformat(day),
                          "state": words.STATES.get(row["status"], row["status"])})
    return out


def story(container: Container, tenant: str, activity_id: UUID, user: User | None) -> Story:
    """The activity, if the viewer may see it: a reporter only their own school's (any
    other is 404, as if it did not exist)."""
    app = container.app(tenant)
    try:
        activity = app.activity(activity_id, user)
    except NotPermitted:
        raise NotFound("not found") from None  # as if it did not exist
    found = units(container, tenant).get(str(activity.unit_id))
    told = Story(activity, found)
    for event in app.events.get(activity_id):
        if isinstance(event, Activity.Applied):
            told.applied_at = event.timestamp
        elif isinstance(event, Activity.Reviewed):
            told.reviews.append(Review(event.approved, tuple(event.opinions), event.timestamp))
        elif isinstance(event, Activity.Confirmed):
            told.document = event.document
        elif isinstance(event, Activity.Held):
            told.held = event
        elif isinstance(event, Activity.Summarised):
            told.summary = event
            told.evidence = shown_evidence(container, tenant, event.evidence_ids, None)
    return told


def shown_evidence(container: Container, tenant: str, ids: Any,
                   who: Principal | None) -> list[Shown]:
    """The evidence named by ``ids`` that ``who`` may open (None: read as the service does
    for an activity's summary); unknown or foreign ids are left out."""
    app = container.app(tenant)
    out = []
    for evidence_id in ids:
        try:
            if who is None:
                evidence = app.evidence(evidence_id)
            else:
                evidence = app.evidence_to_open(evidence_id, who.role, who.user_id)
        except (NotFound, NotPermitted):
            continue
        out.append(Shown(evidence.id, display_name(evidence.filename), evidence.content_type,
                         evidence.size))
    return out
