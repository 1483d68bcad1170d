"""Creating a tenant is all or nothing."""

import pytest

from domain.cause import Cause
from tenants.platform import Platform


class BrokenProvisioner:
    def provision(self, slug: str) -> None:
        raise RuntimeError("the disk is full")


def test_a_tenant_whose_provisioning_fails_is_not_left_in_the_catalogue(container, new_slug):
    slug = new_slug()
    platform = Platform(container.catalogue, BrokenProvisioner(), container.apps)
    with pytest.raises(RuntimeError):
        platform.create_tenant(slug, "半途区", Cause("operator", "operator", "r"))
    assert container.catalogue.get(slug) is None
    created = container.platform.create_tenant(slug, "半途区", Cause("operator", "operator", "r"))
    assert created.tenant.slug == slug  # the slug is free to try again
