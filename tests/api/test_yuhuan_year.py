"""玉环's year, end to end (issue 15): a round shaped per subject — each school on its own
components, the 融合型 community on all four, the 协作型 one bundling routine work and
project — published, then counted into each school's 年度考核, a community's result reaching
its member schools by the share rule. The round's finals are worked by hand in
``test_shaped_assessments.test_yuhuan_per_subject_components_worked_by_hand``."""

from __future__ import annotations

from tests.api.flow import create_tenant
from tests.api.test_annual_reviews import board, by_name
from tests.api.test_shaped_assessments import judge, points, yuhuan_round

MARKS = {"玉城中学": {"r1": 18, "r2": 16, "project": 20},
         "干江小学": {"r1": 14, "r2": 15, "distinctive": 17},
         "龙溪小学": {"r1": 16, "r2": 12, "distinctive": 19},
         "坎门中学": {"r1": 10, "r2": 12, "project": 16},
         "鸡山小学": {"r1": 20, "r2": 18, "distinctive": 14},
         "沙门小学": {"r1": 12, "project": 15}}


def test_a_yuhuan_year_counts_the_shaped_round_and_each_communitys_result(client, new_slug):
    """The year: a school's own final at 80 %, its community's final at 20 % (the share
    rule: each school of the community gets the community's figure, not a share of it).

      玉城中学 (融合型's core)   91.00 × 0.8 = 72.80 + 87.77 × 0.2 = 17.554 → 90.354 → 90.35
      干江小学 (融合型 member)   77.50 × 0.8 = 62.00 + 17.554 → 79.554 → 79.55
      龙溪小学 (融合型 member)   80.00 × 0.8 = 64.00 + 17.554 → 81.554 → 81.55
      坎门中学 (协作型's core)   65.00 × 0.8 = 52.00 + 77.00 × 0.2 = 15.40 → 67.40
      鸡山小学 (协作型 member)   85.00 × 0.8 = 68.00 + 15.40 → 83.40
      沙门小学 (in no community) 68.57 × 0.8 = 54.856 → 54.86
    """
    admin = create_tenant(client, new_slug(), "玉环市教育局")
    y = yuhuan_round(admin)
    a, s = y["id"], y["subjects"]
    judge_id, api = judge(admin, "市教育局评委")
    admin.post(f"/assessments/{a}/panel", {"judge_id": judge_id})
    admin.post(f"/assessments/{a}/open", expect=200)
    for name, by_component in MARKS.items():
        for key, total in by_component.items():
            card = f"/assessments/{a}/scorecards/{s[name]}/{key}"
            api.put(card, {"scores": points(total)})
            api.post(card + "/submit", expect=200)
    # The communities' results derive from their schools: their own cards are not owed.
    admin.post(f"/assessments/{a}/close", {"force": "共同体成绩由成员校折算"}, expect=200)
    admin.post(f"/assessments/{a}/finalise", {"accept_incomplete": "共同体成绩由成员校折算"},
               expect=200)
    admin.post(f"/assessments/{a}/publish", expect=200)
    published = {r["name"]: r["final"] for r in admin.get(f"/assessments/{a}/results")["rows"]}
    assert published["玉城融合共同体"] == 87.77 and published["坎门协作共同体"] == 77

    review = admin.post("/annual-reviews", {"year": "2020-2021", "name": "2020学年度学校考核",
                                            "parts": [
        {"assessment_id": a, "source": "final", "weight": 0.8, "applies_to": "subject"},
        {"assessment_id": a, "source": "final", "weight": 0.2,
         "applies_to": "community_members"}]})
    lines = by_name(board(admin, review))
    totals = {name: lines[name]["total"] for name in MARKS}
    assert totals == {"玉城中学": 90.35, "干江小学": 79.55, "龙溪小学": 81.55,
                      "坎门中学": 67.4, "鸡山小学": 83.4, "沙门小学": 54.86}
    shared = {p["key"]: p for p in lines["干江小学"]["parts"]}["p2"]
    assert (shared["value"], shared["via"]) == (87.77, "玉城融合共同体")
    assert [p["key"] for p in lines["沙门小学"]["parts"]] == ["p1"]
