"""Parameters in the document as the server reads them: text in a path or a query holds no
control character (adapters/http/targets.py), ``?after=`` is a log position, ``If-Match`` a
version."""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import OpenAPI, Schema
from litestar.openapi.spec.enums import OpenAPIType

from adapters.http.schemas.base import ONE_LINE

WRITES = ("post", "put", "patch")
METHODS = ("get", "delete", *WRITES)


def _operations(document: OpenAPI) -> list[Any]:
    return [operation for item in (document.paths or {}).values() for method in METHODS
            if (operation := getattr(item, method, None)) is not None]


# Dates and times the parsers take (adapters/http/zone.py, activities.parse_period), kept to
# a plainly valid range: a year 1000-2099 and a day every month has.
DAY = r"(1[0-9]|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
WHEN = (rf"^{DAY}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
        r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])?$")
FORMATS = {"since": WHEN, "until": WHEN, "as_of": WHEN, "period": rf"^{DAY}\.\.{DAY}$"}


def one_line_text(document: OpenAPI) -> None:
    """Free text in a path or a query: no control character (refused before routing)."""
    for operation in _operations(document):
        for parameter in operation.parameters or []:
            if getattr(parameter, "param_in", None) not in ("path", "query"):
                continue
            for option in [parameter.schema, *(getattr(parameter.schema, "one_of", None) or [])]:
                if (getattr(option, "type", None) == OpenAPIType.STRING
                        and not (option.pattern or option.format or option.enum)):
                    option.pattern = FORMATS.get(parameter.name, ONE_LINE)


def bound_positions(document: OpenAPI) -> None:
    """``?after=`` is a log position: a whole number, 0 or more (adapters/http/waiting.py)."""
    for item in (document.paths or {}).values():
        for parameter in getattr(item.get, "parameters", None) or []:
            if getattr(parameter, "name", None) != "after" or parameter.param_in != "query":
                continue
            schema = parameter.schema
            for option in [schema, *(getattr(schema, "one_of", None) or [])]:
                if getattr(option, "type", None) == OpenAPIType.INTEGER:
                    option.minimum = 0


# What ``expected_version`` (adapters/http/ifmatch.py) reads: "*", or a version, quoted or not.
IF_MATCH = r'^\s*(\*|(W/)?"?[0-9]+"?)\s*$'


def bound_if_match(document: OpenAPI) -> None:
    """``If-Match`` is a version number; a header is absent or a string, never null."""
    for operation in _operations(document):
        for parameter in operation.parameters or []:
            if getattr(parameter, "name", None) == "If-Match":
                parameter.schema = Schema(type=OpenAPIType.STRING, pattern=IF_MATCH)
