"""Names people read (学校、用户、单位、共同体、细则、考核的名称…): bidirectional controls are
removed, since they can make one name display as another, and so are zero-width spaces and
byte-order marks; what is left must show at least one visible character."""

from __future__ import annotations

import unicodedata

# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), zero-width space, BOM.
REMOVED = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0xFEFF])
# Categories that draw nothing alone: format characters (zero-width joiners, marks), controls,
# separators, combining marks; and the fillers that render blank although they are letters.
BLANK_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"})
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(char: str) -> bool:
    return not (char.isspace() or char in FILLERS
                or unicodedata.category(char) in BLANK_CATEGORIES)


def shown_name(value: str, field: str) -> str:
    """The name as stored: without bidirectional controls; refused when nothing shows."""
    cleaned = value.translate(REMOVED)
    if not any(visible(char) for char in cleaned):
        raise ValueError(f"`{field}` has no visible character: only blanks or invisible ones")
    return cleaned
