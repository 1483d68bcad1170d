"""A tenant's own choices: extra activity forms, the activity frequency rules, and the
precision its figures are shown with (四舍五入)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.activity import FORMS, UNIT_KINDS
from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated
from domain.rounding import DEFAULT_PLACES, PLACES

# term: the tenant's 学期 (#16); school_year: 学年, its terms grouped (domain/compliance.py)
EVERY = ("week", "two_weeks", "month", "semester", "term", "school_year")
COUNTS = ("held", "planned")
SETTINGS_ID = uuid5(NAMESPACE_URL, "kaoping:tenant-settings")


@dataclass(frozen=True)
class FrequencyRule:
    """e.g. 平罗: each research_group every week, ≥ 1 activity and ≥ 2 class periods."""

    unit_kind: str
    every: str
    min_activities: int = 1
    min_periods: int = 0
    counts: str = "held"  # or "planned": 月有安排 — an activity planned in each window
    # Since issue 16: only activities of these forms count (党建联盟: 主题党日, 研讨会); none: all.
    forms: tuple[str, ...] = ()

class TenantSettings(KaopingAggregate):
    class Started(KaopingAggregate.Created):
        pass

    class FormAdded(KaopingAggregate.Event):
        form: str

    class RulesSet(KaopingAggregate.Event):
        rules: tuple[FrequencyRule, ...]

    class PrecisionSet(KaopingAggregate.Event):
        """Decimals of shown figures, for rounds created from now on (each round pins it)."""

        places: int

    @staticmethod
    def create_id(cause: Cause) -> UUID:
        return SETTINGS_ID

    @event(Started)
    def __init__(self, cause: Cause) -> None:
        self.forms: tuple[str, ...] = ()
        self.rules: tuple[FrequencyRule, ...] = ()
        self.precision = DEFAULT_PLACES

    @property
    def all_forms(self) -> tuple[str, ...]:
        return FORMS + self.forms

    def add_form(self, form: str, cause: Cause) -> None:
        if not form.strip():
            raise RuleViolated("a form needs a name", (FieldError("name", "must not be empty"),))
        if form in self.all_forms:
            raise RuleViolated("that form exists already", (FieldError("name", "exists"),))
        self._add_form(form=form, cause=cause)

    @event(FormAdded)
    def _add_form(self, form: str, cause: Cause) -> None:
        self.forms = (*self.forms, form)

    def set_rules(self, rules: tuple[FrequencyRule, ...], cause: Cause) -> None:
        errors = []
        for i, rule in enumerate(rules):
            if rule.unit_kind not in UNIT_KINDS:
                errors.append(FieldError(f"rules[{i}].unit_kind", "not a unit kind"))
            if rule.every not in EVERY:
                errors.append(FieldError(f"rules[{i}].every", f"one of {', '.join(EVERY)}"))
            if rule.counts not in COUNTS:
                errors.append(FieldError(f"rules[{i}].counts", "held or planned"))
            for form in rule.forms:
                if form not in self.all_forms:
                    errors.append(FieldError(f"rules[{i}].forms", f"{form} is not a form"))
            if rule.min_activities < 0 or rule.min_periods < 0:
                errors.append(FieldError(f"rules[{i}]", "minimums are not negative"))
        if errors:
            raise RuleViolated("the rules are not valid", tuple(errors))
        self._set_rules(rules=rules, cause=cause)

    @event(RulesSet)
    def _set_rules(self, rules: tuple[FrequencyRule, ...], cause: Cause) -> None:
        self.rules = rules

    def set_precision(self, places: int, cause: Cause) -> None:
        if places not in PLACES:
            raise RuleViolated("the precision is not valid", (FieldError(
                "precision", f"between {PLACES[0]} and {PLACES[-1]} decimals"),))
        self._set_precision(places=places, cause=cause)

    @event(PrecisionSet)
    def _set_precision(self, places: int, cause: Cause) -> None:
        self.precision = places
