"""Keys of maps in the document: a map whose keys are constrained (``dict[Key, ...]``: one
line, at most 64 characters) says so with ``propertyNames``, which litestar leaves out."""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

import msgspec
from litestar.openapi.spec import OpenAPI, Schema
from litestar.openapi.spec.enums import OpenAPIType

from adapters.http.apidoc.decimals import shapes


def _bare(hint: Any) -> tuple[Any, list[Any]]:
    metas: list[Any] = []
    while get_origin(hint) is Annotated:
        hint, *extra = get_args(hint)
        metas += [meta for meta in extra if isinstance(meta, msgspec.Meta)]
    return hint, metas


def _map_of(hint: Any) -> tuple[Any, Any] | None:
    """(key, value) hints of the map in ``hint`` (through ``| None`` and ``Annotated``)."""
    hint, _ = _bare(hint)
    if get_origin(hint) is dict:
        return get_args(hint)  # type: ignore[return-value]
    if get_origin(hint) in (Union, UnionType):
        maps = [found for arg in get_args(hint) if (found := _map_of(arg))]
        return maps[0] if len(maps) == 1 else None
    return None


def _object_in(schema: Any) -> Schema | None:
    if isinstance(schema, Schema):
        if schema.type == OpenAPIType.OBJECT and schema.additional_properties not in (None, False):
            return schema
        for option in schema.one_of or []:
            if (found := _object_in(option)) is not None:
                return found
    return None


def _name_keys(hint: Any, schema: Any) -> None:
    pair, target = _map_of(hint), _object_in(schema)
    if pair is None or target is None:
        return
    key, value = pair
    _, metas = _bare(key)
    if metas and target.property_names is None:
        names = Schema(type=OpenAPIType.STRING)
        for meta in metas:
            names.pattern = meta.pattern or names.pattern
            names.min_length = meta.min_length if meta.min_length is not None else names.min_length
            names.max_length = meta.max_length if meta.max_length is not None else names.max_length
        target.property_names = names
    _name_keys(value, target.additional_properties)


def name_keys(document: OpenAPI) -> None:
    schemas = document.components.schemas if document.components else None
    known = shapes()
    for name, schema in (schemas or {}).items():
        shape = known.get(name)
        if shape is None:
            continue
        hints = get_type_hints(shape, include_extras=True)
        for field in msgspec.structs.fields(shape):
            prop = (schema.properties or {}).get(field.encode_name)
            if prop is not None:
                _name_keys(hints[field.name], prop)
