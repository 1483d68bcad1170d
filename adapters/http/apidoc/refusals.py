"""Refusals in the document: every operation may answer problem+json (RFC 9457) with the
statuses of the error table (adapters/http/errors.py), public routes need no token, and
request bodies refuse fields they do not name — so a client, and schemathesis's conformance
checks, can rely on what the document says."""

from __future__ import annotations

import re
from typing import Any

from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, Reference, Schema
from litestar.openapi.spec.enums import OpenAPIType

PROBLEM = "Problem"
REFUSALS = {
    400: "Malformed: not JSON, a wrong type, an unknown field, bad bytes in the path or query",
    401: "No bearer token, or one that is not valid",
    403: "The role may not do this, or the tenant is suspended",
    404: "No such thing in this tenant (another tenant's ids are not found either)",
    409: "The state does not allow it (for example, the round is closed)",
    412: "If-Match names a version that is no longer the current one",
    413: "The body is larger than the limit",
    415: "The body is not application/json (or multipart/form-data for an upload)",
    422: "Well-formed, but it breaks a rule",
    429: "Too many requests: wait for Retry-After seconds",
    503: "The database is not reachable right now: retry after Retry-After seconds",
}
METHODS = ("get", "put", "post", "delete", "patch")


def _problem_schema() -> Schema:
    def text(description: str) -> Schema:
        return Schema(type=OpenAPIType.STRING, description=description)

    error = Schema(type=OpenAPIType.OBJECT, properties={
        "field": text("Where in the request: a body field, a parameter"),
        "message": text("What is wrong there, in the caller's language")})
    return Schema(
        type=OpenAPIType.OBJECT, required=["type", "title", "status", "detail"],
        description="RFC 9457 problem details; title and detail in the caller's language",
        properties={
            "type": text("A URI naming the kind of refusal"),
            "title": text("The status in words"),
            "status": Schema(type=OpenAPIType.INTEGER, description="The HTTP status"),
            "detail": text("What went wrong and what to do, in the caller's language"),
            "errors": Schema(type=OpenAPIType.ARRAY, items=error,
                             description="One entry per field that is wrong")})


def _closed(schema: Any, components: dict[str, Any], seen: set[str]) -> None:
    """A request body's object schemas, and those nested in them, name every field."""
    if isinstance(schema, Reference):
        name = schema.ref.rsplit("/", 1)[-1]
        if name not in seen and name in components:
            seen.add(name)
            _closed(components[name], components, seen)
        return
    if not isinstance(schema, Schema):
        return
    if schema.properties is not None and schema.additional_properties is None:
        schema.additional_properties = False
    for part in [*(schema.properties or {}).values(), schema.items,
                 *(schema.one_of or []), *(schema.any_of or []), *(schema.all_of or [])]:
        _closed(part, components, seen)


def document_refusals(document: OpenAPI, routes: list[Any]) -> None:
    public = {(re.sub(r":[a-z]+\}", "}", route.path), method.lower())
              for route in routes for handler in getattr(route, "route_handlers", [])
              if "public" in (handler.opt.get("roles") or ())
              for method in handler.http_methods}
    components = document.components.schemas if document.components else None
    if components is None:
        return
    components[PROBLEM] = _problem_schema()
    answer = {"application/problem+json": OpenAPIMediaType(
        schema=Reference(ref=f"#/components/schemas/{PROBLEM}"))}
    closed: set[str] = set()
    for path, item in (document.paths or {}).items():
        for method in METHODS:
            operation = getattr(item, method, None)
            if operation is None:
                continue
            if (path, method) in public:
                operation.security = []
            responses = operation.responses if operation.responses is not None else {}
            for status, description in REFUSALS.items():
                if status == 401 and (path, method) in public:
                    continue
                responses[str(status)] = OpenAPIResponse(description=description,
                                                         content=answer)
            operation.responses = responses
            body = operation.request_body
            if body is not None and not isinstance(body, Reference):
                for media in body.content.values():
                    _closed(media.schema, components, closed)
