"""Error messages in the caller's language (中文 by default on tenant routes).

The English text in the code is the message id, gettext style: a message is looked up whole,
or matched against a template (``{}`` per f-string placeholder) whose parameters pass through,
themselves translated when they are known words (statuses, kinds, roles).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from adapters.http.i18n.catalogue import FRAMEWORK, WORDS, ZH

ZH_CN = "zh-CN"
EN = "en"
# msgspec ends a message with where in the document it went wrong.
PLATFORM_PATH = "/api/v1/tenants"
WHERE = re.compile(r"^(?P<text>.*?) - at `(?P<path>[^`]*)`$", re.S)

__all__ = ["EN", "ZH_CN", "language", "language_of", "localise", "translate"]


def language(accept: str | None, default: str = ZH_CN) -> str:
    """The language to answer in from an Accept-Language header: English when ``en`` (or
    ``en-*``) is preferred over every Chinese tag, else Chinese; ``default`` when neither
    is asked for."""
    best: dict[str, float] = {}
    for part in (accept or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary in ("en", "zh") and quality > 0:
            best[primary] = max(best.get(primary, 0.0), quality)
    if not best:
        return default
    return EN if best.get("en", 0.0) > best.get("zh", 0.0) else ZH_CN


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    templates = [english for english in ZH | FRAMEWORK if "{}" in english]
    # The most specific template first: the one with the most fixed text (counted in the
    # English, not in the escaped pattern, where punctuation and spaces weigh double), then
    # the one with fewer placeholders; "no ranking group {}" before "no {} {}".
    templates.sort(key=lambda english: (-len(english.replace("{}", "")),
                                        english.count("{}"), english))
    found = []
    for english in templates:
        pieces = [re.escape(piece) for piece in english.split("{}")]
        found.append((re.compile("(.+?)".join(pieces) + r"\Z", re.S),
                      ZH.get(english) or FRAMEWORK[english]))
    return found


def translate(text: str, lang: str = ZH_CN, depth: int = 0) -> str:
    """One message in ``lang``; text the catalogue does not know is left as it is."""
    if lang == EN or not text:
        return text
    exact = ZH.get(text) or FRAMEWORK.get(text)
    if exact is not None:
        return exact
    where = WHERE.match(text)
    if where:
        return f"{translate(where['text'], lang, depth)}（位置：{where['path']}）"
    if depth > 2:
        return WORDS.get(text, text)
    for pattern, chinese in _patterns():
        match = pattern.match(text)
        if match:
            params = [_parameter(p, lang, depth) for p in match.groups()]
            return chinese.format(*params)
    return WORDS.get(text, text)


def _parameter(value: str, lang: str, depth: int) -> str:
    """A known word, or a nested message (a sentence); anything else is the caller's own
    text (a code, a name) and passes through untouched."""
    if value in WORDS:
        return WORDS[value]
    if " " in value:
        return translate(value, lang, depth + 1)
    return value


def language_of(scope: Any) -> str:
    """The answer's language for an ASGI request: platform (operator) routes default to
    English, everything else to Chinese; Accept-Language decides when it names either."""
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    handler = scope.get("route_handler")
    roles = handler.opt.get("roles") if handler is not None else None
    platform = roles == {"operator"} or scope.get("path", "").rstrip("/") == PLATFORM_PATH
    return language(accept, EN if platform else ZH_CN)


def localise(body: dict[str, Any], lang: str) -> dict[str, Any]:
    """A problem+json body with its title, detail and every field message in ``lang``."""
    if lang == EN:
        return body
    out = dict(body)
    for key in ("title", "detail"):
        if isinstance(out.get(key), str):
            out[key] = translate(out[key], lang)
    if isinstance(out.get("errors"), list):
        out["errors"] = [
            {**e, "message": translate(e["message"], lang)}
            if isinstance(e, dict) and isinstance(e.get("message"), str) else e
            for e in out["errors"]
        ]
    return out
