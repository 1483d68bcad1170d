"""The OpenAPI document finished for people: each field described (from one glossary, so a
name means the same everywhere) and an example body for each write.

Types carry the rules (enums, limits); what they cannot say — what a field means, what a good
body looks like — is added here, once, when the app is built.
"""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import Example, OpenAPI, Reference

from adapters.http.apidoc.decimals import document_decimals, shapes
from adapters.http.apidoc.examples import EXAMPLES
from adapters.http.apidoc.fields import FIELDS, SHAPES
from adapters.http.apidoc.keys import name_keys
from adapters.http.apidoc.parameters import bound_if_match, bound_positions, one_line_text

WRITES = ("post", "put", "patch")


def describe_fields(document: OpenAPI) -> None:
    schemas = document.components.schemas if document.components else None
    for shape, schema in (schemas or {}).items():
        for name, prop in (schema.properties or {}).items():
            if getattr(prop, "description", None):
                continue
            text = SHAPES.get((shape, name)) or FIELDS.get(name)
            if text:
                prop.description = text


def _shape_of(schema: Any) -> str | None:
    if isinstance(schema, Reference):
        return schema.value
    if getattr(schema, "title", None):  # a body declared by hand (the evidence upload)
        return str(schema.title)
    for option in getattr(schema, "one_of", None) or getattr(schema, "any_of", None) or []:
        if isinstance(option, Reference):
            return option.value
    return None


def add_examples(document: OpenAPI) -> None:
    for item in (document.paths or {}).values():
        for method in WRITES:
            operation = getattr(item, method, None)
            body = getattr(operation, "request_body", None)
            if body is None or isinstance(body, Reference):
                continue
            for media in body.content.values():
                shape = _shape_of(media.schema)
                if shape in EXAMPLES and not media.examples:
                    media.examples = {"example": Example(summary=f"A {shape}",
                                                         value=EXAMPLES[shape])}


def close_shapes(document: OpenAPI) -> None:
    """A shape that refuses unknown fields says so, wherever litestar left it open."""
    known = shapes()
    schemas = document.components.schemas if document.components else None
    for name, schema in (schemas or {}).items():
        shape = known.get(name)
        if shape is not None and shape.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False


def finish(document: OpenAPI) -> None:
    one_line_text(document)
    name_keys(document)
    close_shapes(document)
    bound_if_match(document)
    bound_positions(document)
    document_decimals(document)
    describe_fields(document)
    add_examples(document)
