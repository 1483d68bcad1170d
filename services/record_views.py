"""Views of edited and archived records, and the rubric list (``GET /rubrics``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.rubric import Rubric, top_level_sum
from domain.school import School
from domain.unit import Unit
from domain.user import User

TABLE_OF: dict[type, str] = {
    School.Edited: "schools", User.Edited: "users", Unit.Edited: "units",
    School.Archived: "schools", User.Archived: "users", Unit.Archived: "units"}


def is_record(cls: type) -> bool:
    """Whether ``project_record`` applies events of this class."""
    return cls in TABLE_OF or issubclass(
        cls, School.Registered | User.Registered | Unit.Registered | Rubric.Event)


def project_record(views: Any, position: int, at: datetime, event: Any) -> bool:
    """Apply a school, user or unit event, or a rubric event, to its view; say whether it was one.
    (A community's edits are folded into its document with its other events.)"""
    table = TABLE_OF.get(type(event))
    if isinstance(event, School.Registered):
        views.put_school(event.originator_id, position, event)
    elif isinstance(event, User.Registered):
        views.put_user(event.originator_id, position, event)
    elif isinstance(event, Unit.Registered):
        views.put_unit(event.originator_id, position, event)
    elif table is not None and isinstance(event, School.Edited | User.Edited | Unit.Edited):
        views.edit_record(table, event.originator_id, position,
                          {change.field: change.new for change in event.changes})
    elif table is not None:
        views.archive_record(table, event.originator_id, position)
    elif isinstance(event, Rubric.Event):
        views.save_rubric(rubric_view(views.load_rubric(event.originator_id), event, at),
                          position)
    else:
        return False
    return True


def rubric_view(current: dict[str, Any] | None, event: Rubric.Event,
                at: datetime) -> dict[str, Any]:
    if isinstance(event, Rubric.Drafted | Rubric.DraftReplaced):
        draft = {"name": event.name, "total": _text(event.total),
                 "max_points": str(top_level_sum(event.indicators)), "unpublished": True}
        if current is None:
            return {"id": str(event.originator_id), "name": event.name, "draft": draft,
                    "versions": []}
        return current | {"name": event.name, "draft": draft}
    assert current is not None
    if isinstance(event, Rubric.Published):
        draft = current["draft"]
        current["versions"].append({
            "number": event.number, "name": draft["name"], "total": draft["total"],
            "max_points": draft["max_points"], "published_at": at.isoformat()})
        current["draft"] = draft | {"unpublished": False}
    return current


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
