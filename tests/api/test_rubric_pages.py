"""评分细则 as pages: a rubric built with the form's buttons alone (no JavaScript), refusals
beside their fields with everything typed kept, versions published and compared, a draft
from a template, and who may not come in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import Api, create_tenant
from tests.web_session import SESSION_COOKIE, session_for

XSS = "<script>alert(1)</script>"


class FormFields(HTMLParser):
    """The fields of the editor's form, in document order, as a browser would post them
    (no button: the test names the one it presses)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[list[str]] = []
        self.inside = False
        self.textarea: list[str] | None = None
        self.select: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "rubric-form" in a.get("class", ""):
            self.inside = True
        if not self.inside or "name" not in a:
            if tag == "option" and self.select is not None and (
                    "selected" in a or self.select[1] == "\0"):
                self.select[1] = a.get("value", "")
            return
        if tag == "input" and a.get("type") != "submit":
            self.fields.append([a["name"], a.get("value", "")])
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
            self.fields.append(self.textarea)
        elif tag == "select":
            self.select = [a["name"], "\0"]
            self.fields.append(self.select)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


class Editor:
    """The editor page as a user without JavaScript drives it: every button posts the form
    with what is typed in it."""

    def __init__(self, client: TestClient[Any], url: str) -> None:
        self.client = client
        self.url = url
        self.page = client.get(url)
        assert self.page.status_code == 200, self.page.text

    @property
    def html(self) -> str:
        return self.page.text

    def fields(self) -> list[list[str]]:
        parser = FormFields()
        parser.feed(self.html)
        return parser.fields

    def value(self, name: str) -> str:
        return next(v for n, v in self.fields() if n == name)

    def keys(self) -> list[str]:
        """The rows' keys, in document order."""
        return [n[: -len(".parent")] for n, _ in self.fields() if n.endswith(".parent")]

    def press(self, op: str, expect: int = 200, **typed: str) -> Any:
        fields = [[n, typed.pop(n, v)] for n, v in self.fields()]
        action = re.search(r'<form method="post" action="([^"]+)"[^>]*rubric-form', self.html)
        assert action, self.html
        body = urlencode([*map(tuple, fields), *typed.items(), ("op", op)])
        answer = self.client.post(unescape(action[1]), content=body, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        if answer.status_code == 303:
            answer = self.client.get(answer.headers["location"])
        assert answer.status_code == expect, answer.text
        self.page = answer
        return answer


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def admin(pages, new_slug) -> Api:
    made = create_tenant(pages, new_slug(), "珠晖区教育局")
    sign_in(pages, made, made.get("/users", role="admin")[0]["id"])
    return made


def sign_in(pages: TestClient[Any], admin: Api, user_id: str) -> None:
    pages.cookies.clear()
    pages.cookies.set(SESSION_COOKIE, session_for(str(pages.base_url), admin, user_id, ""))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def build(editor: Editor, name: str = "教研组建设评价细则") -> list[str]:
    """One 一级指标 (组织建设, weight 10) with two leaves (6 + 4 points); its rows' keys."""
    editor.press("add:")
    [top] = editor.keys()
    editor.press(f"add:{top}", name=name, **{f"{top}.title": "组织建设", f"{top}.weight": "10"})
    editor.press(f"add:{top}")
    _, first, second = editor.keys()
    editor.press("apply", **{f"{first}.title": "教研组设置合理", f"{first}.max_points": "6",
                             f"{first}.guidance": "学科教研组设置合理科学。",
                             f"{second}.title": "制度健全", f"{second}.max_points": "4"})
    return [top, first, second]


def test_an_admin_builds_a_rubric_with_the_buttons_alone(pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    top, first, second = build(editor)
    assert [editor.value(f"{k}.code") for k in (top, first, second)] == ["1", "1.1", "1.2"]
    assert "修改尚未保存" in editor.html  # the steps save nothing yet

    editor.press(f"up:{second}")  # 制度健全 first, then back down
    assert editor.keys() == [top, second, first]
    editor.press(f"down:{second}")
    assert editor.keys() == [top, first, second]
    editor.press("add:", total="20")  # a second 一级指标, and the leaf moved under it
    other = editor.keys()[-1]
    editor.press("move", move_node=second, move_to=other,
                 **{f"{other}.title": "教研活动", f"{other}.weight": "10"})
    assert editor.keys() == [top, first, other, second]
    editor.press(f"add:{top}")
    extra = editor.keys()[2]
    editor.press(f"del:{extra}")  # an indicator added by mistake, removed
    assert editor.keys() == [top, first, other, second]
    editor.press("renumber", **{f"{first}.max_points": "10", f"{second}.max_points": "10"})
    assert editor.value(f"{second}.code") == "2.1"

    editor.press("save")
    assert "已新建草稿" in editor.html
    rubric_id = re.search(r"/admin/rubrics/([0-9a-f-]{36})", editor.html)[1]
    draft = admin.get(f"/rubrics/{rubric_id}")["draft"]
    assert draft["name"] == "教研组建设评价细则" and draft["total"] == 20
    assert [(n["code"], n["title"], n["weight"], [c["code"] for c in n["children"]])
            for n in draft["indicators"]] == [("1", "组织建设", 10, ["1.1"]),
                                              ("2", "教研活动", 10, ["2.1"])]
    assert draft["indicators"][0]["children"][0]["guidance"] == "学科教研组设置合理科学。"
    listed = text_of(pages.get(f"/t/{admin.slug}/admin/rubrics").text)
    assert "教研组建设评价细则" in listed and "尚未发布" in listed


def test_a_move_under_its_own_leaf_is_refused_beside_the_move(pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    top, first, _ = build(editor)
    editor.press("move", move_node=top, move_to=first)
    assert "不能把指标移到它自己或它的下级指标之下" in editor.html
    assert editor.keys()[0] == top


def test_weights_short_of_the_full_mark_are_refused_beside_them_and_kept(pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    top, first, _ = build(editor)
    refused = editor.press("publish", expect=422, total="100")
    sums = re.search(r'<div class="rubric-bar" id="weights">.*?</div>', refused.text, re.S)[0]
    assert "一级指标的分值合计为 10" in text_of(sums)  # beside the weights' sum
    assert editor.value(f"{first}.title") == "教研组设置合理"  # nothing typed is lost
    assert editor.value(f"{top}.weight") == "10" and editor.value("total") == "100"

    refused = editor.press("save", expect=422, **{f"{top}.weight": "15"})
    weight = re.search(rf'id="r-{top}-weight-error">([^<]+)<', refused.text)
    assert weight and "权重 15 与其下级指标之和 10 不一致" in weight[1]
    assert editor.value(f"{top}.weight") == "15"


def test_duplicate_codes_and_a_leaf_without_points_are_named_beside_them(pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    _, first, second = build(editor)
    refused = editor.press("save", expect=422, **{f"{second}.code": "1.1",
                                                  f"{second}.max_points": ""})
    assert "代码 1.1 重复使用" in re.search(rf'id="r-{first}-code-error">([^<]+)<',
                                         refused.text)[1]
    assert "末级指标的满分须大于 0" in re.search(rf'id="r-{second}-max-error">([^<]+)<',
                                             refused.text)[1]
    assert editor.value(f"{second}.code") == "1.1"
    refused = editor.press("save", expect=422, **{f"{second}.code": "1.2",
                                                  f"{second}.max_points": "4",
                                                  f"{second}.ev_min": "3"})
    assert "只能用于末级指标，且至少 1 条记录" in refused.text  # a count without a form


def test_publish_makes_version_1_an_edit_version_2_and_the_diff_shows_the_change(
        pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    *_, second = build(editor)
    editor.press("publish", total="10", **{f"{second}.ev_form": "集体备课",
                                           f"{second}.ev_min": "16"})
    assert "已发布为第 1 版" in editor.html
    rubric_id = re.search(r"/admin/rubrics/([0-9a-f-]{36})", editor.html)[1]
    keys = editor.keys()
    editor.press("publish", expect=409)  # nothing changed since
    assert "草稿自上次发布以来没有修改" in editor.html

    editor.press("publish", **{f"{keys[1]}.title": "教研组设置科学合理",
                               f"{keys[1]}.max_points": "5", f"{keys[2]}.max_points": "5"})
    assert "已发布为第 2 版" in editor.html
    version = admin.get(f"/rubrics/{rubric_id}/versions/2")
    leaf = version["indicators"][0]["children"][1]
    assert leaf["evidence"] == {"form": "集体备课", "min_count": 16}
    assert admin.get(f"/rubrics/{rubric_id}/versions/1")["indicators"][0]["children"][0][
        "title"] == "教研组设置合理"  # a published version never changes

    listed = text_of(pages.get(f"/t/{admin.slug}/admin/rubrics").text)
    assert "第 1 版" in listed and "第 2 版" in listed
    diff = pages.get(f"/t/{admin.slug}/admin/rubrics/{rubric_id}/diff?left=1&right=2")
    assert diff.status_code == 200, diff.text
    changed = re.search(r'<tr class="changed" data-code="1.1">.*?</tr>', diff.text, re.S)[0]
    assert "教研组设置合理" in changed and "教研组设置科学合理" in changed
    assert "6" in text_of(changed) and "5" in text_of(changed)
    assert 'data-code="1.2"' in diff.text and 'data-code="1"' not in diff.text
    shown = pages.get(f"/t/{admin.slug}/admin/rubrics/{rubric_id}/versions/1")
    assert "教研组设置合理" in shown.text and "佐证：集体备课 至少 16 次" in shown.text


def test_a_draft_from_the_zhuhui_template_is_a_new_copy(pages, admin) -> None:
    listed = pages.get(f"/t/{admin.slug}/admin/rubrics")
    assert "珠晖区中小学教研组建设评价细则（试行）" in listed.text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', listed.text)[1]
    made = [pages.post(f"/t/{admin.slug}/admin/rubrics/from-template",
                       data={"_csrf_token": token, "template": "zhuhui"},
                       follow_redirects=False) for _ in range(2)]
    assert [m.status_code for m in made] == [303, 303]
    ids = {m.headers["location"].split("/")[-1].split("?")[0] for m in made}
    assert len(ids) == 2  # each start is a draft of its own
    draft = admin.get(f"/rubrics/{ids.pop()}")["draft"]
    assert len(draft["indicators"]) == 9 and draft["total"] == 100
    assert draft["source"].startswith("seeds/003")
    editor = Editor(pages, made[0].headers["location"])
    assert editor.value("total") == "100" and "一级指标权重合计" in editor.html
    assert re.search(r'id="weight-sum" class="ok">100<', editor.html)
    assert pages.post(f"/t/{admin.slug}/admin/rubrics/from-template",
                      data={"template": "zhuhui"}).status_code == 403  # no CSRF token


def test_a_judge_is_refused_and_another_tenant_is_not_found(pages, admin, new_slug) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    build(editor)
    editor.press("save")
    url = re.search(r"/t/[^/]+/admin/rubrics/[0-9a-f-]{36}", editor.html)[0]
    judge = admin.post("/users", {"name": "评委张老师", "role": "judge"})
    sign_in(pages, admin, judge["id"])
    for path in (f"/t/{admin.slug}/admin/rubrics", url, f"/t/{admin.slug}/admin/rubrics/new",
                 url + "/diff"):
        refused = pages.get(path)
        assert refused.status_code == 403 and "无权访问" in refused.text, path
    other = create_tenant(pages, new_slug())
    sign_in(pages, other, other.get("/users", role="admin")[0]["id"])
    assert pages.get(url.replace(f"/t/{admin.slug}/", f"/t/{other.slug}/")).status_code == 404
    assert pages.get(url).status_code == 404


def test_titles_are_shown_escaped(pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    _, first, _ = build(editor, name=XSS)
    editor.press("publish", total="10", **{f"{first}.title": XSS})
    for html in (editor.html, pages.get(f"/t/{admin.slug}/admin/rubrics").text):
        assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert editor.value(f"{editor.keys()[1]}.title") == XSS


def test_with_htmx_the_editor_answers_with_its_own_part_and_refusals_in_it(pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    top, _, _ = build(editor)
    editor.press("save")
    hx = {"HX-Request": "true"}
    editor.client.headers.update(hx)
    try:
        added = editor.press(f"add:{top}")
        assert added.text.lstrip().startswith('<div id="editor">') and "<html" not in added.text
        assert len(editor.keys()) == 4 and "修改尚未保存" in added.text
        refused = editor.press("save", **{f"{editor.keys()[3]}.title": "新要求"})
        assert refused.status_code == 200 and "末级指标的满分须大于 0" in refused.text
        saved = editor.press("save", **{f"{editor.keys()[3]}.max_points": "2",
                                        f"{top}.weight": "12"})
        assert "草稿已保存" in saved.text and "修改尚未保存" not in saved.text
    finally:
        for name in hx:
            del editor.client.headers[name]
    rubric_id = re.search(r"/admin/rubrics/([0-9a-f-]{36})", editor.html)[1]
    assert admin.get(f"/rubrics/{rubric_id}")["draft"]["indicators"][0]["weight"] == 12


def test_a_published_version_copied_is_a_new_rubric(pages, admin) -> None:
    editor = Editor(pages, f"/t/{admin.slug}/admin/rubrics/new")
    build(editor, name="2025学年评价细则")
    editor.press("publish", total="10")
    rubric_id = re.search(r"/admin/rubrics/([0-9a-f-]{36})", editor.html)[1]
    shown = pages.get(f"/t/{admin.slug}/admin/rubrics/{rubric_id}/versions/1")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', shown.text)[1]
    copied = pages.post(f"/t/{admin.slug}/admin/rubrics/{rubric_id}/versions/1/copy",
                        data={"_csrf_token": token}, follow_redirects=False)
    assert copied.status_code == 303, copied.text
    copy_id = copied.headers["location"].split("/")[-1].split("?")[0]
    assert copy_id != rubric_id
    draft = admin.get(f"/rubrics/{copy_id}")
    assert draft["draft"]["name"] == "2025学年评价细则（副本）"
    assert draft["published_versions"] == []
