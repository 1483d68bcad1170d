"""What the presets are made of: each step is a normal service call, so a preset leaves
nothing but ordinary events in the tenant's log, every one of them editable afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.assessment import Period
from domain.cause import Cause
from domain.windows import Window
from services.application import TenantApplication
from services.setup import ComponentSpec, SetupSpec
from tenants.templates import RUBRIC_TEMPLATES, rubric_full_mark, rubric_source, rubric_template


@dataclass(frozen=True)
class Preset:
    """One district's preset: where it comes from, and the tenant it sets up."""

    key: str
    district: str
    source: str  # the seed section it follows (tenants/presets/README.md quotes it)


@dataclass(frozen=True)
class Setting:
    """Where a preset writes: the new tenant's application, as whom, and the school year
    (学年) it starts in — from the tenant's creation, so the domain stays without a clock."""

    app: TenantApplication
    cause: Cause
    school_year: int  # 2026 for 2026—2027
    time_zone: str

    def publish(self, template: str) -> UUID:
        """A rubric from a shipped template, published as version 1 (a drafted one says
        草案 in its name: the district adjusts it and publishes version 2)."""
        file = RUBRIC_TEMPLATES[template]
        name, step, indicators = rubric_template(file)
        made = self.app.draft_rubric(name, step, indicators, self.cause,
                                     rubric_full_mark(file), rubric_source(file))
        self.app.publish_rubric(made.id, self.cause)
        return made.id

    def school(self, name: str, group: str, stage: str, zone: str | None = None,
               external: bool = False) -> UUID:
        return self.app.register_school(name, group, stage, zone, external, self.cause).id

    def round(self, spec: SetupSpec) -> UUID:
        """The district's round as a draft: subjects, panel and dates are the district's."""
        return self.app.create_assessment(spec, self.cause).id

    @property
    def year(self) -> Period:
        """9月1日 to 6月30日 of the school year."""
        return Period(date(self.school_year, 9, 1), date(self.school_year + 1, 6, 30))

    def by(self, day: date) -> Window:
        """A window closing at the end of ``day`` in the tenant's zone."""
        return Window(closes=datetime.combine(day, time(23, 59, 59), ZoneInfo(self.time_zone)))


def component(key: str, name: str, rubric_id: UUID, weight: int,
              kind: str | None = None) -> ComponentSpec:
    return ComponentSpec(key, name, rubric_id, 1, Decimal(weight), kind)


def school_year_of(moment: datetime, time_zone: str) -> int:
    """A school year starts in September; a tenant made in July or August prepares the next."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return local.year if local.month >= 7 else local.year - 1
