"""佐证材料 — a piece of evidence: its content is stored by hash; the event keeps the hash."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, OverQuota, RuleViolated
from domain.setup import Period


@dataclass(frozen=True)
class Citation:
    """Where the evidence is given: a subject's self-assessment of one component."""

    assessment_id: UUID
    subject_id: UUID
    component: str


USAGE_ID = uuid5(NAMESPACE_URL, "kaoping:evidence-usage")
FILENAME_MAX = 255


def display_name(filename: str) -> str:
    """The uploader's file name as display text only: its last path part, without control,
    format (bidirectional overrides, zero-width) or other invisible characters, at most
    FILENAME_MAX characters. It never names anything on disk (the hash does)."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in last if unicodedata.category(c)[0] != "C")
    return " ".join(kept.split())[:FILENAME_MAX]


def check_dated(dated: date, today: date) -> None:
    """材料日期: the day the material is from cannot be later than the day it is uploaded."""
    if dated > today:
        raise RuleViolated(f"the evidence is dated {dated}, later than today ({today})",
                           (FieldError("dated", "not later than the upload day"),))


class Evidence(KaopingAggregate):
    """Who may open it follows from where it is cited (``services.evidence``); the citations
    are kept here, in the log, so that answer never waits for a view."""

    class Uploaded(KaopingAggregate.Created):
        sha256: str
        size: int
        content_type: str
        filename: str
        dated: date  # the day the material is from (材料须在考核期内)
        # The schools it belongs to: its uploader's when uploaded (none before this was kept,
        # and for an admin's upload).
        owners: tuple[UUID, ...] = ()

    class Cited(KaopingAggregate.Event):
        citation: Citation

    @event(Uploaded)
    def __init__(self, sha256: str, size: int, content_type: str, filename: str, dated: date,
                 cause: Cause, owners: tuple[UUID, ...] = ()) -> None:
        self.sha256 = sha256
        self.size = size
        self.content_type = content_type
        self.filename = filename
        self.dated = dated
        self.uploaded_by = cause.actor_id  # its reporter, who may always open it
        self.citations: tuple[Citation, ...] = ()
        self.owners = tuple(owners)

    def cite(self, citation: Citation, cause: Cause) -> None:
        """A self-assessment gives this evidence (once per place: citing again changes
        nothing)."""
        if citation not in self.citations:
            self._cite(citation=citation, cause=cause)

    @event(Cited)
    def _cite(self, citation: Citation, cause: Cause) -> None:
        self.citations = (*self.citations, citation)

    def within(self, period: Period | None) -> bool:
        return period is None or period.starts_on <= self.dated <= period.ends_on


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class EvidenceUsage(KaopingAggregate):
    """存储用量: the bytes of evidence a tenant has uploaded, against its quota (配额), and
    what each user uploaded on the current day, against the daily limit. It is saved in the
    same transaction as each upload's Evidence, so two uploads at once cannot both pass a
    limit (the second save meets the first's version and is retried)."""

    class Started(KaopingAggregate.Created):
        stored_bytes: int  # uploaded before usage was kept, summed from the log
        files: int

    class Counted(KaopingAggregate.Event):
        evidence_id: UUID
        size: int
        uploader: str
        day: date  # in the tenant's time zone

    @staticmethod
    def create_id(stored_bytes: int, files: int, cause: Cause) -> UUID:
        return USAGE_ID

    @event(Started)
    def __init__(self, stored_bytes: int, files: int, cause: Cause) -> None:
        self.stored_bytes = stored_bytes
        self.files = files
        self.day: date | None = None
        self.daily: dict[str, int] = {}

    def uploaded_today(self, uploader: str, day: date) -> int:
        return self.daily.get(uploader, 0) if self.day == day else 0

    def check(self, size: int, uploader: str, day: date, quota: int, daily_limit: int) -> None:
        """Refuse a file that would pass the tenant's quota or the uploader's day's limit."""
        if self.stored_bytes + size > quota:
            raise OverQuota(f"the district's evidence quota is {megabytes(quota)} and "
                            f"{megabytes(self.stored_bytes)} of it is used: this file "
                            f"({megabytes(size)}) does not fit", quota, self.stored_bytes)
        today = self.uploaded_today(uploader, day)
        if today + size > daily_limit:
            raise OverQuota(f"each user may upload {megabytes(daily_limit)} of evidence a day, "
                            f"and {megabytes(today)} was uploaded today: this file "
                            f"({megabytes(size)}) does not fit", daily_limit, today)

    def count(self, evidence_id: UUID, size: int, uploader: str, day: date, quota: int,
              daily_limit: int, cause: Cause) -> None:
        self.check(size, uploader, day, quota, daily_limit)
        self._count(evidence_id=evidence_id, size=size, uploader=uploader, day=day, cause=cause)

    @event(Counted)
    def _count(self, evidence_id: UUID, size: int, uploader: str, day: date,
               cause: Cause) -> None:
        if day != self.day:  # a new day: yesterday's totals no longer limit anyone
            self.day, self.daily = day, {}
        self.daily = {**self.daily, uploader: self.daily.get(uploader, 0) + size}
        self.stored_bytes += size
        self.files += 1
