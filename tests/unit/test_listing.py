"""The console's lists: search folds full-width and case, sort reverses, pages cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.web.listing import Listing

ROWS = [{"name": n, "n": i} for i, n in enumerate(["ＡＢＣ中学", "abc小学", "青山湖一中", "二中"])]
KEYS = {"name": lambda r: r["name"], "n": lambda r: r["n"]}


def listed(**params: str):
    return Listing.of(params, ["name", "n"], per_page=2).apply(
        ROWS, "/x", lambda r: [r["name"]], KEYS)


def test_search_finds_full_width_and_other_case():
    assert [r["name"] for r in listed(q="abc").rows] == ["ＡＢＣ中学", "abc小学"]


def test_sort_by_number_both_ways_and_unknown_sort_falls_back():
    assert [r["n"] for r in listed(sort="n", page="1").rows] == [0, 1]
    assert [r["n"] for r in listed(sort="n", desc="1").rows] == [3, 2]
    assert listed(sort="drop table").sort == "name"


def test_pages_links_keep_the_search():
    page = listed(q="中", page="2")
    assert (page.total, page.page, page.pages) == (3, 2, 2)
    assert "q=%E4%B8%AD" in page.href(page=1) and "page=1" in page.href(page=1)


@given(st.integers(min_value=-5, max_value=50), st.integers(min_value=0, max_value=30))
def test_every_row_is_on_exactly_one_page(asked, count):
    rows = [{"name": str(i), "n": i} for i in range(count)]
    pages = [Listing.of({"page": str(p), "sort": "n"}, ["name", "n"], per_page=7).apply(
        rows, "/x", lambda r: [r["name"]], KEYS) for p in range(1, 6)]
    seen = [r["n"] for p in pages[:max(1, -(-count // 7))] for r in p.rows]
    assert seen == list(range(count))
    assert Listing.of({"page": str(asked)}, ["n"]).page >= 1
