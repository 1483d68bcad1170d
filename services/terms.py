"""The scoring terms of each assessment, cached per version: a score write reads them here
instead of loading (and deep-copying) the whole assessment.

The cached value may be stale: another process may have closed the round or recused a judge.
So the card is saved on condition (``while_at``) that the assessment is still at the version
the terms were read at, checked in the card's own transaction after the tenant's log lock;
if it moved on, the write is refused with ``MovedOn`` and decided again on fresh terms (ADR
0008). Writes of an assessment by this process forget its terms at once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from uuid import UUID

from domain.terms import ScoringTerms


class MovedOn(Exception):
    """The stream a write was conditional on is no longer at the version it was read at."""


class TermsCache:
    """The latest terms read of each recently scored assessment (an LRU of immutable values:
    shared by every thread, never copied)."""

    def __init__(self, maxsize: int = 64) -> None:
        self._maxsize = maxsize
        self._terms: OrderedDict[UUID, ScoringTerms] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, assessment_id: UUID) -> ScoringTerms | None:
        with self._lock:
            terms = self._terms.get(assessment_id)
            if terms is not None:
                self._terms.move_to_end(assessment_id)
            return terms

    def put(self, terms: ScoringTerms) -> None:
        """Keep ``terms`` unless newer ones are already here (a slow reader comes last)."""
        with self._lock:
            held = self._terms.get(terms.assessment_id)
            if held is None or held.version <= terms.version:
                self._terms[terms.assessment_id] = terms
                self._terms.move_to_end(terms.assessment_id)
            while len(self._terms) > self._maxsize:
                self._terms.popitem(last=False)

    def forget(self, aggregate_id: UUID) -> None:
        with self._lock:
            self._terms.pop(aggregate_id, None)
