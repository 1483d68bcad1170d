"""Find every message the code can refuse with, as a catalogue template (``{}`` per
f-string placeholder): the first argument of a DomainError (or any subclass, or a litestar
HTTP exception), the message of a FieldError, the detail of a ``problem(...)``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "services", "tenants", "adapters")
ERROR_BASES = {"DomainError", "RuleViolated", "NotFound", "StateConflict", "NotPermitted",
               "StaleVersion", "JudgeIsRecused"}
HTTP_ERRORS = {"HTTPException", "ClientException", "NotAuthorizedException",
               "NotFoundException", "PermissionDeniedException", "TooManyRequestsException",
               "ValidationException", "MethodNotAllowedException",
               "ServiceUnavailableException", "InternalServerException"}


def _files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def error_classes(trees: list[ast.Module]) -> set[str]:
    """DomainError and every class deriving from it, found to a fixed point."""
    known = set(ERROR_BASES)
    while True:
        more = {node.name for tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.ClassDef) and node.name not in known
                and any(_name(base) in known for base in node.bases)}
        if not more:
            return known
        known |= more


def template(node: ast.expr) -> str | None:
    """The catalogue key of a literal or f-string; None for anything computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append("{}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = template(node.left), template(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _message_args(call: ast.Call, errors: set[str]) -> Iterator[ast.expr]:
    name = _name(call.func)
    kw = {k.arg: k.value for k in call.keywords}
    if name in errors or name in HTTP_ERRORS:
        if call.args:
            yield call.args[0]
        for key in ("detail",):
            if key in kw:
                yield kw[key]
    elif name == "FieldError":
        if len(call.args) > 1:
            yield call.args[1]
        if "message" in kw:
            yield kw["message"]
    elif name in ("problem", "_problem"):
        index = 1 if name == "problem" else 3
        if len(call.args) > index:
            yield call.args[index]
        if "detail" in kw:
            yield kw["detail"]


def source_messages() -> dict[str, str]:
    """Each template found, with the first place it was found (file:line)."""
    parsed = [(path, ast.parse(path.read_text(), str(path))) for path in _files()]
    errors = error_classes([tree for _, tree in parsed])
    found: dict[str, str] = {}
    for path, tree in parsed:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for arg in _message_args(node, errors):
                text = template(arg)
                if text is None or not text.replace("{}", "").strip():
                    continue
                found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


if __name__ == "__main__":
    for text, where in sorted(source_messages().items(), key=lambda kv: kv[1]):
        print(f"{where}\t{text}")
