"""The OpenAPI document is enough to use the API: allowed values are enums, every field says
what it is, and every write has an example body."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.testing import TestClient

from adapters.http import schemas
from adapters.http.apidoc.examples import EXAMPLES

WRITES = ("post", "put", "patch")
# (component schema, property) pairs whose values are a closed set.
ENUMS = {
    ("UserCreate", "role"), ("SchoolCreate", "stage"), ("SubjectIn", "kind"),
    ("UnitCreate", "kind"), ("AggregationIn", "method"), ("AggregationIn", "normalise"),
    ("AssessmentRead", "status"),
}


def _document(client: TestClient[Any]) -> dict[str, Any]:
    return client.get("/schema/openapi.json").json()  # type: ignore[no-any-return]


def _enum_of(schema: dict[str, Any], components: dict[str, Any]) -> list[Any] | None:
    if "$ref" in schema:
        return _enum_of(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "enum" in schema:
        return schema["enum"]  # type: ignore[no-any-return]
    for key in ("oneOf", "anyOf"):
        for option in schema.get(key, []):
            found = _enum_of(option, components)
            if found:
                return found
    return None


def test_every_property_of_every_schema_has_a_description(client: TestClient[Any]) -> None:
    components = _document(client)["components"]["schemas"]
    missing = sorted(f"{name}.{prop}" for name, schema in components.items()
                     for prop, spec in schema.get("properties", {}).items()
                     if not spec.get("description"))
    assert not missing, f"{len(missing)} properties without a description:\n" + "\n".join(missing)


def test_closed_sets_of_values_are_enums(client: TestClient[Any]) -> None:
    components = _document(client)["components"]["schemas"]
    missing = sorted(f"{name}.{prop}" for name, prop in ENUMS
                     if not _enum_of(components[name]["properties"][prop], components))
    assert not missing, missing


def test_scores_are_numbers_though_strings_are_accepted(client: TestClient[Any]) -> None:
    scores = _document(client)["components"]["schemas"]["ScoresIn"]["properties"]["scores"]
    value = scores["additionalProperties"]
    types = {option.get("type") for option in value.get("oneOf", value.get("anyOf", [value]))}
    assert "number" in types or "integer" in types, value


def test_every_write_has_an_example_body(client: TestClient[Any]) -> None:
    missing = []
    for path, item in _document(client)["paths"].items():
        for method in WRITES:
            operation = item.get(method)
            if not operation or "requestBody" not in operation:
                continue
            content = operation["requestBody"].get("content", {})
            if not any("example" in c or c.get("examples") or "examples" in c.get("schema", {})
                       for c in content.values()):
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"{len(missing)} writes without an example body:\n" + "\n".join(missing)


def test_every_example_body_is_accepted_by_its_shape() -> None:
    for shape, body in EXAMPLES.items():
        cls = getattr(schemas, shape, None)
        if isinstance(cls, type) and issubclass(cls, msgspec.Struct):
            msgspec.convert(body, type=cls)  # raises if the example is wrong
