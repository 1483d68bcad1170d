"""Issue 10, finding 1: no slug can name another tenant's schema (or role). What a tenant owns:
its event schema, every version of its views, and its PostgreSQL role."""

from hypothesis import assume, given
from hypothesis import strategies as st

from adapters.postgres.layout import old_view_schema
from adapters.postgres.roles import TenantRoles
from adapters.postgres.versions import owner_of, schema_of, view_schema
from tenants.model import SLUG, check_slug

ROLES = TenantRoles("kp_0123abcd_")
MAX_NAME = 63  # PostgreSQL cuts longer names short, and two cut names may meet
VERSIONS = st.integers(1, 2**31 - 1)  # view_version.current is an integer
PLATFORM = {"kaoping", "public", "information_schema"}

plain = st.from_regex(SLUG, fullmatch=True)
# Slugs built from another one, as an attacker would: "<x>_v1", "<x>_1", "<x>_v"…
suffixed = st.builds(lambda base, tail: (base + tail)[:31], plain,
                     st.sampled_from(["_v1", "_1", "_v", "_v12", "_1_2", "_", "__1", "v1"]))
slugs = st.one_of(plain, suffixed).filter(lambda s: SLUG.fullmatch(s) is not None)


def owned(slug: str, versions: list[int]) -> set[str]:
    return {schema_of(slug), ROLES.name(slug), *(view_schema(slug, n) for n in versions)}


@given(slugs, slugs, st.lists(VERSIONS, min_size=1, max_size=5),
       st.lists(VERSIONS, min_size=1, max_size=5))
def test_two_tenants_own_disjoint_schemas_and_roles(a, b, a_versions, b_versions) -> None:
    assume(a != b)
    assert not owned(a, a_versions) & owned(b, b_versions)


@given(slugs, VERSIONS)
def test_every_name_gives_back_the_one_slug_that_owns_it(slug, version) -> None:
    check_slug(slug)  # the strategy makes only slugs the platform accepts
    assert owner_of(schema_of(slug)) == slug
    assert owner_of(view_schema(slug, version)) == slug


@given(slugs, VERSIONS)
def test_names_fit_postgresql_and_stay_clear_of_the_platforms_schemas(slug, version) -> None:
    for name in owned(slug, [version]):
        assert len(name.encode()) <= MAX_NAME
        assert name not in PLATFORM and not name.startswith("pg_")


def test_names_of_no_tenant_belong_to_no_one() -> None:
    for name in ("kaoping", "public", "pg_catalog", "v_x", "v_x_", "v_x_0", "v_x_01", "t_"):
        assert owner_of(name) is None, name


def test_the_old_names_collided_and_the_new_ones_do_not() -> None:
    """Before issue 10, ``coll``'s views were ``coll_v1``'s event store."""
    assert old_view_schema("coll", 1) == schema_of("coll_v1")
    assert view_schema("coll", 1) not in owned("coll_v1", [1, 2])
    assert owner_of(view_schema("coll_v1", 2)) == "coll_v1"
    assert owner_of(view_schema("coll", 12)) == "coll"
