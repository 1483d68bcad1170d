"""评委的页面 over HTTP: a judge's home, the scoring form (save, submit, revise with a
reason), 回避, errors beside the field with nothing typed lost, and the form's CSRF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.flow import Round, create_tenant
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
XSS = "<script>alert(1)</script>"
ALL = {"1.1": "5.5", "1.2": "4", "2.1": "9"}


@pytest.fixture(scope="module")
def web(container: Container) -> Iterator[TestClient[Any]]:
    """A client of its own: its cookies (session, CSRF) are this module's."""
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def room(web: TestClient[Any], new_slug: Any) -> Round:
    web.cookies.clear()
    return Round(create_tenant(web, new_slug()), schools=("南钢学校", XSS), judges=2)


def sign_in(web: TestClient[Any], room: Round, judge: int = 0) -> None:
    web.cookies.clear()
    judge_id, api = room.judges[judge]
    web.cookies.set(SESSION_COOKIE, session_for(str(web.base_url), room.admin, judge_id,
                                                api.token))


def card_url(room: Round, subject: str) -> str:
    return f"/t/{room.admin.slug}/judge/{room.id}/{subject}/routine"


def form_post(web: TestClient[Any], url: str, fields: dict[str, str], to: str | None = None,
              **kw: Any) -> Any:
    """GET the page, take its form's CSRF token (its cookie is kept by the client), post."""
    page = web.get(url)
    assert page.status_code == 200, page.text
    token = CSRF.search(page.text)
    assert token, "the form carries a CSRF token"
    return web.post(to or url, data={"_csrf_token": token[1], **fields}, **kw)


def scores(values: dict[str, str]) -> dict[str, str]:
    return {f"score:{code}": v for code, v in values.items()}


def api_card(room: Round, subject: str, judge: int = 0) -> Any:
    return room.judges[judge][1].get(room.card(subject), expect=None)


def test_home_lists_the_subjects_in_order_with_their_status_and_progress(web, room) -> None:
    room.score(0, room.subjects[0], {"1.1": 5}, submit=False)
    # 出场顺序 as entered: 南钢学校 first, though by name it would come second
    room.admin.put(f"/assessments/{room.id}/order",
                   {"order": {"yiguanzhi": room.subjects}})
    sign_in(web, room)
    page = web.get(f"/t/{room.admin.slug}/judge")
    assert page.status_code == 200, page.text
    assert "已提交 0 / 2" in page.text
    assert "已保存" in page.text and "未开始" in page.text
    assert page.text.index("南钢学校") < page.text.index("&lt;script&gt;")


def test_a_judge_saves_a_partial_card_and_sees_it_again(web, room) -> None:
    sign_in(web, room)
    url = card_url(room, room.subjects[0])
    answer = form_post(web, url, {**scores({"1.1": "5.5"}), "comment": "组织健全",
                                  "action": "save"}, follow_redirects=False)
    assert answer.status_code == 303
    assert api_card(room, room.subjects[0]).json()["scores"] == {"1.1": 5.5}
    assert api_card(room, room.subjects[0]).json()["comment"] == "组织健全"
    again = web.get(answer.headers["location"])
    assert 'value="5.5"' in again.text and "组织健全" in again.text and "已保存" in again.text


def test_submitting_asks_to_confirm_then_locks_the_card(web, room) -> None:
    sign_in(web, room)
    url = card_url(room, room.subjects[0])
    asked = form_post(web, url, {**scores(ALL), "action": "submit"})
    assert "确认提交" in asked.text
    assert api_card(room, room.subjects[0]).json()["submitted"] is False
    token = CSRF.search(asked.text)[1]
    done = web.post(url, data={"_csrf_token": token, **scores(ALL), "comment": "",
                               "action": "submit", "confirmed": "1"})
    assert done.status_code == 200 and "本评分表已提交" in done.text
    assert api_card(room, room.subjects[0]).json()["submitted"] is True
    home = web.get(f"/t/{room.admin.slug}/judge")
    assert "已提交 1 / 2" in home.text


def test_a_change_after_submission_needs_a_reason(web, room) -> None:
    room.score(0, room.subjects[0], {"1.1": 5, "1.2": 4, "2.1": 9})
    sign_in(web, room)
    url = card_url(room, room.subjects[0])
    refused = form_post(web, url, {"reason": "  "}, to=url + "/reopen")
    assert refused.status_code == 422
    assert "重新打开须说明理由" in refused.text
    assert api_card(room, room.subjects[0]).json()["submitted"] is True
    form_post(web, url, {"reason": "1.1 录入有误"}, to=url + "/reopen")
    changed = form_post(web, url, {**scores({**ALL, "1.1": "6"}), "action": "submit",
                                   "confirmed": "1"})
    assert changed.status_code == 200, changed.text
    card = api_card(room, room.subjects[0]).json()
    assert card["submitted"] is True and card["scores"]["1.1"] == 6
    history = room.admin.get(f"/assessments/{room.id}/history", type="Reopened")
    assert [e["reason"] for e in history["events"]] == ["1.1 录入有误"]


def test_a_bad_value_is_shown_beside_its_field_and_nothing_is_saved(web, room) -> None:
    sign_in(web, room)
    url = card_url(room, room.subjects[0])
    typed = {"1.1": "7", "1.2": "2.3", "2.1": "8"}
    refused = form_post(web, url, {**scores(typed), "comment": "待复核", "action": "save"})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    text = refused.text
    for code, value in typed.items():
        assert f'name="score:{code}"' in text and f'value="{value}"' in text
    assert "待复核" in text
    leaf_1_1 = text[text.index('name="score:1.1"'):text.index('name="score:1.2"')]
    assert "得分应在 0 到 6 之间，步长 0.5" in leaf_1_1
    leaf_1_2 = text[text.index('name="score:1.2"'):text.index('name="score:2.1"')]
    assert "得分应在 0 到 4 之间，步长 0.5" in leaf_1_2
    assert api_card(room, room.subjects[0]).status_code == 404  # nothing saved


def test_a_recused_subject_shows_why_and_cannot_be_scored(web, room) -> None:
    sign_in(web, room)
    url = card_url(room, room.subjects[1])
    refused = form_post(web, url, {"reason": ""}, to=url + "/recuse")
    assert "回避须说明理由" in refused.text
    recused = form_post(web, url, {"reason": "本人曾在该校任教"}, to=url + "/recuse")
    assert recused.status_code == 200
    assert "您已对本对象回避" in recused.text and "本人曾在该校任教" in recused.text
    assert 'type="number"' not in recused.text
    home = web.get(f"/t/{room.admin.slug}/judge")
    assert "回避" in home.text and "已提交 0 / 1" in home.text
    token = CSRF.search(web.get(card_url(room, room.subjects[0])).text)[1]
    posted = web.post(url, data={"_csrf_token": token, **scores({"1.1": "5"}),
                                 "action": "save"})
    assert posted.status_code == 409
    assert posted.headers["content-type"].startswith("text/html")  # a page, in Chinese
    assert "该评委对该对象回避，不能评分" in posted.text
    assert api_card(room, room.subjects[1]).status_code == 404


def test_another_judges_card_is_not_reachable(web, room, new_slug) -> None:
    room.score(0, room.subjects[0], {"1.1": 5.5}, submit=False)
    sign_in(web, room, judge=1)
    page = web.get(card_url(room, room.subjects[0]))
    assert page.status_code == 200 and 'value="5.5"' not in page.text  # their own, empty
    other = Round(create_tenant(web, new_slug()), judges=1)
    sign_in(web, other)
    assert web.get(card_url(other, room.subjects[0])).status_code == 404
    elsewhere = f"/t/{room.admin.slug}/judge/{room.id}/{room.subjects[0]}/routine"
    assert web.get(elsewhere).status_code == 404  # another tenant's session: as if absent


def test_a_post_without_the_csrf_token_is_refused(web, room) -> None:
    sign_in(web, room)
    url = card_url(room, room.subjects[0])
    web.get(url)
    answer = web.post(url, data={**scores({"1.1": "5"}), "action": "save"})
    assert answer.status_code == 403
    assert api_card(room, room.subjects[0]).status_code == 404


def test_a_school_named_like_a_script_is_shown_as_text(web, room) -> None:
    sign_in(web, room)
    for url in (f"/t/{room.admin.slug}/judge", card_url(room, room.subjects[1])):
        text = web.get(url).text
        assert XSS not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
