"""District presets (区县预设): a new tenant set up the way its own document describes —
schools, groups, rubrics, rules, forms and a draft round, all written through the ordinary
services, so each is an event in the log and can be edited afterwards. README.md in this
folder names the seed section each preset follows."""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import FieldError, RuleViolated
from tenants.presets.communities import pucheng, wuzhong, yuhuan
from tenants.presets.districts import mashiping, pingluo, qingshanhu, zhuhui
from tenants.presets.steps import Preset, Setting, school_year_of

PRESETS: dict[str, tuple[Preset, Callable[[Setting], None]]] = {
    "qingshanhu": (Preset("qingshanhu", "青山湖区", "seeds/000"), qingshanhu),
    "yuhuan": (Preset("yuhuan", "玉环市", "seeds/001 篇2、篇5"), yuhuan),
    "pucheng": (Preset("pucheng", "蒲城县", "seeds/001 篇3"), pucheng),
    "zhuhui": (Preset("zhuhui", "珠晖区", "seeds/003"), zhuhui),
    "pingluo": (Preset("pingluo", "平罗县", "seeds/002"), pingluo),
    "mashiping": (Preset("mashiping", "马市坪乡", "seeds/004"), mashiping),
    "wuzhong": (Preset("wuzhong", "吴忠市", "seeds/001 篇1"), wuzhong),
}
PRESET_KEYS = tuple(PRESETS)


def check_preset(key: str | None) -> None:
    """Before anything is created: an unknown preset creates no tenant."""
    if key is not None and key not in PRESETS:
        raise RuleViolated(f"unknown preset {key}", (FieldError(
            "preset", f"must be one of {', '.join(PRESET_KEYS)}"),))


def apply_preset(key: str, setting: Setting) -> None:
    PRESETS[key][1](setting)


__all__ = ["PRESETS", "PRESET_KEYS", "Preset", "Setting", "apply_preset", "check_preset",
           "school_year_of"]
