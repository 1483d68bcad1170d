"""An API worker's projector (``project=False``) beside the projector of another process:
it never projects, yet its waits for a position end when the other one reaches it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from adapters.bootstrap import build_container
from adapters.container import Container
from tests.conftest import OPERATOR_TOKEN
from tests.integration.scenario import scored_assessment


@pytest.fixture
def worker(container: Container) -> Iterator[Container]:
    """A second process's container, as ``serve --workers N`` builds it for a worker."""
    built = build_container(container.settings, container.conninfo, OPERATOR_TOKEN,
                            project=False)
    built.projector.start()
    yield built
    built.close()


def test_a_listening_projector_waits_for_another_and_never_projects(
        container, worker, tenant) -> None:
    scenario = scored_assessment(tenant)
    worker.projector.watch(tenant.slug)  # asked to, as tenant creation does: still no
    heard: list[int] = []
    worker.projector.on_reached(lambda slug, position: heard.append(position)
                                if slug == tenant.slug else None)
    assert not worker.projector.wait_for(tenant.slug, scenario.last_position, timeout=1.0)
    assert worker.projector.position(tenant.slug) == 0  # nothing projected it meanwhile

    waited: list[bool] = []
    waiting = threading.Thread(target=lambda: waited.append(
        worker.projector.wait_for(tenant.slug, scenario.last_position, timeout=60)))
    waiting.start()
    reached = container.projector.catch_up(tenant.slug)  # "the projector process"
    waiting.join(60)
    assert waited == [True] and reached >= scenario.last_position
    deadline = time.monotonic() + 60  # the notification crosses to the worker
    while max(heard, default=0) < reached:
        assert time.monotonic() < deadline, "the worker never heard the position"
        time.sleep(0.01)
