"""The OpenAPI document is enough to use the API: allowed values are enums, every field says
what it is, and every write has an example body."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar.testing import TestClient

from adapters.http import schemas
from adapters.http.apidoc.examples import EXAMPLES
from tests.api.flow import RUBRIC, create_tenant

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


# Exact (Decimal) request fields: a number, or a decimal string such as "0.5" - never just any
# string (a document saying "string" made "H" look valid; the server answers it 400).
DECIMALS = [("RubricIn", "step"), ("RubricIn", "total"), ("IndicatorIn", "weight"),
            ("IndicatorIn", "max_points"), ("ComponentIn", "weight"), ("ThresholdIn", "min"),
            ("CommunityWeightIn", "core"), ("CommunityWeightIn", "members")]


def _decimal_options(prop: dict[str, Any]) -> dict[str, dict[str, Any]]:
    options = [option for option in prop["oneOf"] if option.get("type") != "null"]
    return {option["type"]: option for option in options}


def test_decimal_fields_are_numbers_or_decimal_strings(client: TestClient[Any]) -> None:
    schemas = _document(client)["components"]["schemas"]
    for shape, name in DECIMALS:
        options = _decimal_options(schemas[shape]["properties"][name])
        assert set(options) == {"number", "string"}, (shape, name, options)
        pattern = re.compile(options["string"]["pattern"])
        assert pattern.search("0.5") and pattern.search("20") and pattern.search("-1")
        assert not pattern.search("H") and not pattern.search("1e5") and not pattern.search("NaN")
    quota = schemas["TiersIn"]["properties"]["quota"]["oneOf"][0]["additionalProperties"]
    assert set(_decimal_options(quota)) == {"number", "string"}
    scores = schemas["ScoresIn"]["properties"]["scores"]["additionalProperties"]
    assert set(_decimal_options(scores)) == {"number", "string"}  # one number branch: oneOf


def test_the_server_takes_decimals_as_the_document_says(client: TestClient[Any],
                                                        new_slug: Any) -> None:
    admin = create_tenant(client, new_slug(), "小数测试区")
    as_strings = {**RUBRIC, "step": "0.5", "indicators": [
        {**indicator, "weight": str(indicator["weight"]),
         "children": [{**leaf, "max_points": str(leaf["max_points"])}
                      for leaf in indicator["children"]]}
        for indicator in RUBRIC["indicators"]]}
    by_numbers, by_strings = (admin.get(f"/rubrics/{admin.post('/rubrics', body)['id']}")["draft"]
                              for body in (RUBRIC, as_strings))
    assert by_strings["step"] == by_numbers["step"] == 0.5
    assert by_strings["max_points"] == by_numbers["max_points"] == 20
    refused = admin.post("/rubrics", {**RUBRIC, "step": "H"}, expect=400)
    assert refused["status"] == 400
