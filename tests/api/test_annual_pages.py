"""年度考核 in the console over HTTP: the list, a board with each school's parts, a manual
part posted (CSRF) and refused beside its field with what was typed kept, the board as of a
moment, a judge refused, another district's reviews not found, names escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.annual_flow import OneJudgeRound, school
from tests.api.flow import Api, create_tenant
from tests.api.test_org_pages import CSRF, XSS, post, sign_in


@pytest.fixture(scope="module")
def web(container: Container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


def published_review(api: Api, name: str = "南钢学校") -> tuple[dict, dict[str, str]]:
    """南钢学校 17 of 20 → 85.00 → 20 points: 17.00."""
    schools = {name: school(api, name)}
    rnd = OneJudgeRound(api, "述职述研评议", {name: ("school", schools[name])}, {"report": 100})
    rnd.score(name, "report", 17)
    rnd.publish()
    review = api.post("/annual-reviews", {
        "year": "2019-2020", "name": "教务处工作考核",
        "parts": [{"assessment_id": rnd.id, "source": "final", "points": 20}]})
    api.get(f"/annual-reviews/{review['id']}/board", after=review["position"])
    return review, schools


def page(api: Api, path: str = "") -> str:
    return f"/t/{api.slug}/admin/annual{path}"


def test_an_admin_lists_reviews_reads_a_board_and_enters_a_part_by_hand(web, new_slug):
    web.cookies.clear()
    api = create_tenant(web, new_slug())
    review, schools = published_review(api)
    sign_in(web, api, "admin")
    listed = web.get(page(api))
    assert listed.status_code == 200 and "教务处工作考核" in listed.text
    assert "第 1 版" in listed.text
    assert f'href="/t/{api.slug}/admin/annual"' in web.get(f"/t/{api.slug}/admin").text
    board = web.get(page(api, f"/{review['id']}"))
    assert "南钢学校" in board.text and "85.0 → <strong>17.00</strong>" in board.text
    refused = post(web, page(api, f"/{review['id']}"), page(api, f"/{review['id']}/manual-parts"),
                   {"school_id": schools["南钢学校"], "label": "教务处日常工作",
                    "points": "71.5", "reason": ""})
    assert refused.status_code == 422
    assert re.search(r'id="err-f-reason"[^>]*>必填', refused.text)
    assert 'value="教务处日常工作"' in refused.text and 'value="71.5"' in refused.text
    done = post(web, page(api, f"/{review['id']}"), page(api, f"/{review['id']}/manual-parts"),
                {"school_id": schools["南钢学校"], "label": "教务处日常工作", "points": "71.5",
                 "reason": "查阅材料"})
    assert done.status_code == 303, done.text
    after = web.get(done.headers["location"])
    assert "第 2 版" in after.text and "88.50" in after.text and "+71.50" in after.text
    then = web.get(page(api, f"/{review['id']}"), params={"as_of": "2000-01-01T00:00"})
    assert then.status_code == 404 and 'id="err-f-as_of"' in then.text
    bad = web.get(page(api, f"/{review['id']}"), params={"as_of": "yesterday"})
    assert bad.status_code == 422 and 'id="err-f-as_of"' in bad.text


def test_a_judge_is_refused_and_another_district_finds_nothing(web, new_slug) -> None:
    web.cookies.clear()
    one, two = create_tenant(web, new_slug()), create_tenant(web, new_slug())
    review, _ = published_review(one)
    sign_in(web, one, "judge")
    assert web.get(page(one)).status_code == 403
    assert web.get(page(one, f"/{review['id']}")).status_code == 403
    sign_in(web, two, "admin")
    assert web.get(page(two, f"/{review['id']}")).status_code == 404
    assert web.get(page(one)).status_code in (403, 404)


def test_names_are_escaped(web, new_slug) -> None:
    web.cookies.clear()
    api = create_tenant(web, new_slug())
    review, _ = published_review(api, XSS)
    sign_in(web, api, "admin")
    board = web.get(page(api, f"/{review['id']}")).text
    assert XSS not in board and "&lt;script&gt;alert(1)&lt;/script&gt;" in board


def test_an_admin_creates_a_review_from_a_published_round_and_refusals_keep_the_form(
        web, new_slug) -> None:
    web.cookies.clear()
    api = create_tenant(web, new_slug())
    sid = school(api, "南钢学校")
    rnd = OneJudgeRound(api, "述职述研评议", {"南钢学校": ("school", sid)}, {"report": 100})
    rnd.score("南钢学校", "report", 17)
    published = rnd.publish()
    sign_in(web, api, "admin")
    api.get("/assessments", after=published["position"])
    listed = web.get(page(api))
    assert f'value="{rnd.id}|final"' in listed.text and "述职述研评议 · 述职述研" in listed.text
    fields = {"year": "", "name": "教务处工作考核", "part0_source": f"{rnd.id}|final",
              "part0_method": "points", "part0_amount": "20", "part0_applies_to": "subject"}
    refused = post(web, page(api), page(api), fields)
    assert refused.status_code == 400 and re.search(r'id="err-f-year"[^>]*>不能为空', refused.text)
    assert 'value="教务处工作考核"' in refused.text
    assert re.search(rf'<option value="{rnd.id}\|final" selected', refused.text)
    no_amount = post(web, page(api), page(api), fields | {"year": "2019-2020",
                                                           "part0_amount": ""})
    assert no_amount.status_code == 400 and "第 1 行：请填写折算的数值" in no_amount.text
    done = post(web, page(api), page(api), fields | {"year": "2019-2020"})
    assert done.status_code == 303, done.text
    board = web.get(done.headers["location"])
    assert board.status_code == 200 and "85.0 → <strong>17.00</strong>" in board.text


def test_an_admin_publishes_a_review_to_the_schools_from_its_page(web, new_slug) -> None:
    web.cookies.clear()
    api = create_tenant(web, new_slug())
    review, _ = published_review(api)
    sign_in(web, api, "admin")
    board = page(api, f"/{review['id']}")
    shown = web.get(board).text
    assert "尚未向学校公布" in shown and f'action="{board}/publish"' in shown
    done = post(web, board, board + "/publish", {})
    assert done.status_code == 303, done.text
    after = web.get(done.headers["location"]).text
    assert "已向学校公布：各校填报员" in after and "已向学校公布（" in after
    assert f'action="{board}/publish"' not in after
    assert api.get(f"/annual-reviews/{review['id']}")["published"] is True
    again = web.post(board + "/publish", data={"_csrf_token": CSRF.search(after)[1]},
                     follow_redirects=False)
    assert again.status_code == 409 and "该年度考核已向学校公布" in again.text
    sign_in(web, api, "auditor")
    theirs = web.get(board).text
    assert f'action="{board}/publish"' not in theirs and "已向学校公布（" in theirs
