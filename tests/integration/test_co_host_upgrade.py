"""Co-hosts of activities projected before the views kept them (issue 16, ADR 0028): the
activities view of layout 8 had no host or co-host units, so an activity held then credited
only its own unit. Layout 9 keeps them; start-up rebuilds the older views from the log,
whose ``Activity.Held`` events always held the ids, and the co-hosts get their credit."""

from datetime import date

from psycopg.sql import SQL, Identifier

from adapters.cli import upgrade
from adapters.http.activities import compliance_of
from adapters.postgres.rebuild import outdated
from adapters.postgres.versions import view_schema
from domain.activity import Opinion, Plan
from domain.settings import FrequencyRule

BEFORE_CO_HOSTS = 8  # the last layout whose activities did not keep their hosts


def met(container, slug: str) -> dict[str, bool]:
    report = compliance_of(container, slug, date(2026, 10, 1), date(2026, 10, 31))
    return {line.name: not line.behind for line in report.units}


def test_co_hosts_of_an_activity_projected_by_the_old_layout_are_credited_after_start_up(
        container, tenant) -> None:
    app, cause = tenant.app, tenant.admin
    host, *co_hosts = (app.register_school(name, "小学组", "小学", None, False, cause).id
                       for name in ("馬市坪中心小学", "长乐小学", "白沙小学"))
    app.register_school("金称市小学", "小学组", "小学", None, False, cause)
    app.set_rules((FrequencyRule("school", "month"),), cause)
    aid = app.apply_activity("school", host, Plan("整本书阅读", "同课异构", "", date(
        2026, 10, 15), 2, "联片教研"), None, cause).id
    app.review_activity(aid, True, (Opinion("教研员", "同意"),), cause)
    app.confirm_activity(aid, None, cause)
    app.hold_activity(aid, date(2026, 10, 15), 2, (), (), tuple(co_hosts), None, cause)
    container.projector.catch_up(tenant.slug)
    credited = {"馬市坪中心小学": True, "长乐小学": True, "白沙小学": True, "金称市小学": False}
    assert met(container, tenant.slug) == credited

    schema = Identifier(view_schema(tenant.slug, 1))
    with container.views(tenant.slug) as views:  # as the release before left them
        views.conn.execute(SQL("UPDATE {}.activities SET doc = doc - 'host_unit_ids'"
                               " - 'co_host_unit_ids'").format(schema))
        views.conn.execute(SQL("UPDATE {}.view_tracking SET position = %s"
                               " WHERE name = 'layout'").format(schema), (BEFORE_CO_HOSTS,))
    assert met(container, tenant.slug) == credited | {"长乐小学": False, "白沙小学": False}
    assert outdated(container.pool, container.roles, tenant.slug)

    upgrade(container)
    assert not outdated(container.pool, container.roles, tenant.slug)
    assert met(container, tenant.slug) == credited
