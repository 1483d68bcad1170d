"""Idempotency-Key across API processes: two containers (two pools, as two workers hold)
use one key at once. Exactly one request writes; the others get its answer, or, while it
is still writing, a refusal to retry. Never two writes."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from adapters.bootstrap import build_container
from adapters.container import Container
from adapters.postgres.idempotency import request_hash
from domain.errors import RuleViolated, StateConflict
from tests.conftest import OPERATOR_TOKEN

DIGEST = request_hash("PUT", "/cards/1", b'{"scores":{"1.1":6}}')


@pytest.fixture
def other(container: Container) -> Iterator[Container]:
    """A second process's container over the same database."""
    built = build_container(container.settings, container.conninfo, OPERATOR_TOKEN,
                            project=False)
    yield built
    built.pool.close()


def keyed(container: Container, slug: str, actor: str, key: str, write: Any,
          digest: bytes = DIGEST) -> Any:
    return container.once(slug, actor, key, digest, write,
                          lambda answer: json.dumps(answer).encode(), lambda raw: raw)


def test_a_key_in_use_in_one_process_is_refused_in_another_then_answered(
        container, other, tenant) -> None:
    actor, writes = str(uuid.uuid4()), []
    inside, let_go = threading.Event(), threading.Event()

    def slow_write() -> dict[str, int]:
        writes.append("first")
        inside.set()
        assert let_go.wait(30)
        return {"version": 7}

    answers: list[Any] = []
    first = threading.Thread(
        target=lambda: answers.append(keyed(container, tenant.slug, actor, "k", slow_write)))
    first.start()
    assert inside.wait(30)
    with pytest.raises(StateConflict):  # still being written, in the other process
        keyed(other, tenant.slug, actor, "k", lambda: writes.append("second"))
    let_go.set()
    first.join(30)
    assert answers == [{"version": 7}]
    assert keyed(other, tenant.slug, actor, "k", lambda: writes.append("third")) == {
        "version": 7}
    assert writes == ["first"]
    with pytest.raises(RuleViolated):  # the key, reused for another request
        keyed(other, tenant.slug, actor, "k", lambda: writes.append("fourth"),
              digest=request_hash("PUT", "/cards/2", b"{}"))


def test_many_requests_under_one_key_at_once_write_once(container, other, tenant) -> None:
    actor, writes, lock = str(uuid.uuid4()), [], threading.Lock()
    start = threading.Barrier(12)
    outcomes: list[Any] = []

    def write() -> dict[str, int]:
        with lock:
            writes.append(1)
        return {"version": 1}

    def request(i: int) -> None:
        start.wait(30)
        try:
            answer = keyed((container, other)[i % 2], tenant.slug, actor, "same", write)
        except StateConflict:
            answer = "refused"
        with lock:
            outcomes.append(answer)

    threads = [threading.Thread(target=request, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(writes) == 1
    assert len(outcomes) == 12 and {json.dumps(o) for o in outcomes} <= {
        '{"version": 1}', '"refused"'}
    assert keyed(other, tenant.slug, actor, "same", write) == {"version": 1}


def test_a_write_that_fails_gives_its_key_back(container, other, tenant) -> None:
    actor = str(uuid.uuid4())

    def failing() -> None:
        raise StateConflict("the assessment is closed")

    with pytest.raises(StateConflict, match="closed"):
        keyed(container, tenant.slug, actor, "k", failing)
    assert keyed(other, tenant.slug, actor, "k", lambda: {"version": 2}) == {"version": 2}
