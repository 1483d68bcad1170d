"""Exact points in the document as what the server takes: a JSON number, or a decimal string.

litestar documents a ``Decimal`` as a bare string, so by the document "H" would be a valid
weight (the server answers 400). The fields typed ``Decimal`` (weights, steps, full marks,
tier minimums, quotas, community weights) and the ``Score`` values are rewritten here to
``oneOf [number, string with a decimal pattern]``, which is exactly what they decode from.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from functools import cache
from typing import Any, get_args, get_type_hints

import msgspec
from litestar.openapi.spec import OpenAPI, Schema
from litestar.openapi.spec.enums import OpenAPIType

from adapters.http.schemas.base import Score

# Digits with an optional sign and fraction: "4.5", "20", "-1". No exponent, no "NaN".
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
EXACT = (Decimal, Score)


def decimal_schema() -> Schema:
    return Schema(one_of=[Schema(type=OpenAPIType.NUMBER),
                          Schema(type=OpenAPIType.STRING, pattern=DECIMAL_PATTERN)])


def _holds_exact(hint: Any) -> bool:
    return any(hint == kind for kind in EXACT) or any(_holds_exact(arg) for arg in get_args(hint))


@cache
def shapes() -> dict[str, type[msgspec.Struct]]:
    """The request and response shapes (adapters/http/schemas), by component name."""
    found: dict[str, type[msgspec.Struct]] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("adapters.http.schemas."):
            found.update({shape.__name__: shape for shape in vars(module).values()
                          if isinstance(shape, type) and issubclass(shape, msgspec.Struct)})
    return found


@cache
def _exact_fields() -> dict[str, frozenset[str]]:
    """Wire names of the exact fields, by shape name."""
    found: dict[str, frozenset[str]] = {}
    for name, shape in shapes().items():
        hints = get_type_hints(shape, include_extras=True)
        names = frozenset(field.encode_name for field in msgspec.structs.fields(shape)
                          if _holds_exact(hints.get(field.name)))
        if names:
            found[name] = names
    return found


def _plain_string(schema: Any) -> bool:
    return (isinstance(schema, Schema) and schema.type == OpenAPIType.STRING
            and not (schema.pattern or schema.format or schema.enum))


def _exact(schema: Any) -> Any:
    """The schema with each bare string made a decimal (number or decimal string)."""
    if _plain_string(schema):  # in place: its description and default stay
        schema.type, schema.one_of = None, decimal_schema().one_of
        return schema
    if not isinstance(schema, Schema):
        return schema
    if isinstance(schema.additional_properties, Schema):
        schema.additional_properties = _exact(schema.additional_properties)
    if schema.one_of:
        options: list[Any] = []
        for option in schema.one_of:
            if _plain_string(option):  # its number joins the options beside it
                options.extend(decimal_schema().one_of or [])
            else:
                options.append(_exact(option))
        types = [getattr(option, "type", None) for option in options]
        # One number branch: an integer is a number, and oneOf wants exactly one match.
        schema.one_of = [option for index, option in enumerate(options)
                         if types[index] not in (OpenAPIType.INTEGER, OpenAPIType.NUMBER)
                         or (types[index] == OpenAPIType.NUMBER
                             and OpenAPIType.NUMBER not in types[:index])]
    return schema


def document_decimals(document: OpenAPI) -> None:
    schemas = document.components.schemas if document.components else None
    exact = _exact_fields()
    for shape, schema in (schemas or {}).items():
        for name in exact.get(shape, ()):
            prop = (schema.properties or {}).get(name)
            if prop is not None:
                schema.properties[name] = _exact(prop)  # type: ignore[index]
