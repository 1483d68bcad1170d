"""The refusal tally: a first refusal that could not be written is tried again."""

from datetime import UTC, datetime
from types import SimpleNamespace
from uuid import uuid4

import pytest

from domain.cause import Cause
from services.refusals import RefusalTally


class FlakyApp:
    def __init__(self) -> None:
        self.failures, self.written = 1, 0

    def record_refusal(self, *args):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the database is not reachable")
        self.written += 1
        return SimpleNamespace(id=uuid4())


def test_a_first_refusal_that_failed_to_write_is_written_by_the_next() -> None:
    app = FlakyApp()
    tally = RefusalTally(lambda _: app, clock=lambda: datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
    cause = Cause("u1", "judge", "r1")
    with pytest.raises(ConnectionError):
        tally.record("t", "role", "GET", "/users", "no", cause)
    tally.record("t", "role", "GET", "/users", "no", cause)
    tally.record("t", "role", "GET", "/users", "no", cause)
    assert app.written == 1  # the second wrote it; the third was counted
