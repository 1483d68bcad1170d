"""Tenants (districts): the catalogue, provisioning, tokens, and the cache of applications."""
