"""Server-side lists: search, sort and pages for the console's list pages.

A district has hundreds of schools and thousands of activities, so a list page never sends
them all: it reads ``?q=&sort=&desc=&page=`` and shows one page. Search compares text as the
names are compared elsewhere (trimmed, NFKC, case-folded), so "ＡＢＣ中学" finds "abc中学"."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

PER_PAGE = 50


def folded(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().casefold()


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    page: int
    pages: int
    q: str
    sort: str
    desc: bool
    base: str
    extra: tuple[tuple[str, str], ...] = ()

    def href(self, **change: Any) -> str:
        params = {"q": self.q, "sort": self.sort, "desc": "1" if self.desc else "",
                  "page": str(self.page)} | dict(self.extra)
        params |= {k: str(v) for k, v in change.items()}
        return self.base + "?" + urlencode({k: v for k, v in params.items() if v})

    def sort_href(self, key: str) -> str:
        """A column header's link: sort by it, or reverse it when it is already the sort."""
        return self.href(sort=key, desc="" if self.sort != key or self.desc else "1", page=1)

    def arrow(self, key: str) -> str:
        return "" if self.sort != key else (" ↓" if self.desc else " ↑")


@dataclass(frozen=True)
class Listing:
    """What the list page was asked for; ``apply`` turns rows into one ``Page``."""
    q: str
    sort: str
    desc: bool
    page: int
    per_page: int = PER_PAGE

    @classmethod
    def of(cls, params: Mapping[str, str], sorts: Sequence[str],
           per_page: int = PER_PAGE) -> Listing:
        sort = params.get("sort", "") or sorts[0]
        try:
            page = max(1, int(params.get("page", "1") or 1))
        except ValueError:
            page = 1
        return cls(q=str(params.get("q", "") or "").strip()[:100],
                   sort=sort if sort in sorts else sorts[0],
                   desc=params.get("desc", "") in ("1", "true"), page=page,
                   per_page=per_page)

    def apply(self, rows: Iterable[Any], base: str, text: Callable[[Any], Iterable[object]],
              keys: Mapping[str, Callable[[Any], Any]],
              extra: Mapping[str, str] | None = None) -> Page:
        """Filter by ``q`` over ``text(row)``, sort by ``keys[sort]``, cut one page."""
        wanted = folded(self.q)
        found = [r for r in rows
                 if not wanted or any(wanted in folded(t) for t in text(r))]
        key = keys[self.sort]
        found.sort(key=lambda r: _sortable(key(r)), reverse=self.desc)
        pages = max(1, -(-len(found) // self.per_page))
        page = min(self.page, pages)
        start = (page - 1) * self.per_page
        return Page(rows=found[start:start + self.per_page], total=len(found), page=page,
                    pages=pages, q=self.q, sort=self.sort, desc=self.desc, base=base,
                    extra=tuple((k, v) for k, v in (extra or {}).items() if v))


def _sortable(value: Any) -> tuple[int, Any]:
    """None last, text by its folded form; numbers and dates as they are."""
    if value is None:
        return (1, "")
    if isinstance(value, str):
        return (0, folded(value))
    return (0, value)
