"""A tenant whose projection keeps failing is retried later and later, with one warning per
try (a traceback only with the first), while the other tenants are projected as usual."""

from structlog.testing import capture_logs

import adapters.postgres.projector as projector_module
from adapters.postgres.backoff import Backoff
from adapters.postgres.projector import Projector
from adapters.postgres.versions import view_schema
from tests.unit.test_backoff import Clock


def test_a_failing_tenant_backs_off_and_logs_once_per_try(
        container, make_tenant, monkeypatch) -> None:
    broken, healthy = make_tenant(), make_tenant()
    real_project = projector_module.project
    broken_views = view_schema(broken.slug, 1)

    def project(views, batch):
        if views.s.as_string(None) == f'"{broken_views}"':
            raise RuntimeError("permission denied for schema")
        real_project(views, batch)

    monkeypatch.setattr(projector_module, "project", project)
    clock = Clock()
    projector = Projector(container.pool, container.conninfo, container.projector.mapper,
                          active_tenants=list, roles=container.roles,
                          backoff=Backoff(first=1.0, cap=4.0, clock=clock))

    def run() -> set[str]:
        due = projector._take_due(longest_wait=0)
        projector._project(due)
        return due

    try:
        with capture_logs() as logs:
            projector.watch(broken.slug)
            projector.watch(healthy.slug)
            assert run() == {broken.slug, healthy.slug}
            assert projector.position(healthy.slug) == healthy.app.position()
            written = healthy.app.register_school("新学校", "g", "初中", None, False,
                                                  healthy.admin)
            projector.mark_dirty(broken.slug)  # written to as well: still not due
            projector.mark_dirty(healthy.slug)
            assert run() == {healthy.slug}
            assert projector.position(healthy.slug) == written.position
            for wait in (1.0, 2.0, 4.0, 4.0):
                clock.now += wait - 0.01
                assert run() == set()
                clock.now += 0.01
                assert run() == {broken.slug}
        failed = [(e["failures"], e["retry_in"], e["log_level"], e["exc_info"])
                  for e in logs if e["event"] == "projection_failed"]
        assert failed == [(1, 1.0, "warning", True), (2, 2.0, "warning", False),
                          (3, 4.0, "warning", False), (4, 4.0, "warning", False),
                          (5, 4.0, "warning", False)]
        assert all(e["tenant"] == broken.slug for e in logs if e["event"] == "projection_failed")

        monkeypatch.setattr(projector_module, "project", real_project)  # mended
        clock.now += 4.0
        with capture_logs() as logs:
            assert run() == {broken.slug}
        assert [(e["event"], e["failures"]) for e in logs] == [("projection_recovered", 5)]
        assert projector.position(broken.slug) == broken.app.position()
    finally:
        projector.stop()
