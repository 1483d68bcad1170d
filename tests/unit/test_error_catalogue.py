"""Every refusal the code can make has a Chinese translation, and translation keeps the
parameters."""

from __future__ import annotations

import json

from adapters.http.i18n import EN, ZH_CN, language, translate
from adapters.http.i18n.catalogue import FRAMEWORK, ZH
from tests.unit.source_messages import source_messages


def test_every_message_in_the_source_has_a_chinese_translation() -> None:
    missing = {text: where for text, where in source_messages().items() if text not in ZH}
    lines = "\n".join(f"    {json.dumps(text, ensure_ascii=False)}: \"\",  # {where}"
                      for text, where in sorted(missing.items()))
    assert not missing, (
        f"{len(missing)} messages have no Chinese in adapters/http/i18n/catalogue.py; "
        f"paste these into ZH and fill in the Chinese:\n{lines}")


def test_every_translation_keeps_each_placeholder() -> None:
    for english, chinese in (ZH | FRAMEWORK).items():
        wanted = {f"{{{i}}}" for i in range(english.count("{}"))}
        assert all(part in chinese for part in wanted), english
        assert chinese.strip(), english


def test_parameters_pass_through_and_known_words_are_translated() -> None:
    assert translate("the assessment is closed") == "考核当前状态为已结束，不能进行此操作"
    assert translate("no school 42") == "没有学校 42"
    assert translate("code 1.1 is used more than once") == "代码 1.1 重复使用"
    assert translate("the assessment is closed", EN) == "the assessment is closed"
    assert translate("something nobody wrote down") == "something nobody wrote down"


def test_msgspec_messages_keep_where_they_went_wrong() -> None:
    assert translate("Expected `int`, got `str` - at `$.quorum`") == \
        "应为 `int`，实际为 `str`（位置：$.quorum）"


def test_the_language_is_chinese_unless_english_is_preferred() -> None:
    assert language(None) == ZH_CN
    assert language("en") == EN
    assert language("en-US,en;q=0.9") == EN
    assert language("zh-CN,zh;q=0.9,en;q=0.8") == ZH_CN
    assert language("zh;q=0.5,en-GB;q=0.8") == EN
    assert language("fr") == ZH_CN
    assert language("fr", default=EN) == EN
    assert language("zh", default=EN) == ZH_CN


def test_the_most_specific_template_wins_over_a_generic_one() -> None:
    # "no {} {}" comes first in the catalogue and matches these too, but says less.
    assert translate("no ranking group nowhere") == "没有排名组 nowhere"
    assert translate("no evidence 42") == "没有佐证材料 42"
    assert translate("no school 42") == "没有学校 42"
    # A template that is the start of a longer one does not swallow the longer message.
    assert translate("the top-level indicators add up to 95, not the full mark 100") == \
        "一级指标的分值合计为 95，与满分 100 不符"
    assert translate("the top-level indicators add up to 95") == "一级指标的分值合计为 95"
    assert translate("the assessment is closed: only the admin can reopen a card now") == \
        "考核当前状态为已结束：现在只有管理员可以重新打开评分表"


def test_a_refusal_to_close_is_translated_with_its_counts() -> None:
    assert translate("the assessment cannot be finalised yet (cards not submitted: 2; "
                     "subjects below quorum: 1): complete them, or give accept_incomplete "
                     "with a reason") == (
        "考核尚不能变为已定稿（未提交的评分表 2 张；评委人数不足的被评对象 1 个）："
        "请先补齐，或填写 accept_incomplete 并说明理由")
