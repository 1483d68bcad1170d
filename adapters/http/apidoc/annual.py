"""What the annual reviews' fields mean (年度考核), and an example body for each write."""

from __future__ import annotations

from typing import Any

ROUND = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
SCHOOL = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
PART = {
    "applies_to": "subject: the school assessed itself; community_members: each school of a "
                  "community subject (core and members as they stood in the period), each "
                  "getting the community's figure converted (the share rule, 玉环/吴忠)",
    "points": "折算 to points: value ÷ full marks × points (give this or weight)",
}
ANNUAL_SHAPES: dict[tuple[str, str], str] = {
    ("AnnualPartIn", "applies_to"): PART["applies_to"],
    ("AnnualPartIn", "points"): PART["points"],
    ("AnnualPartRead", "applies_to"): PART["applies_to"],
    ("AnnualPartRead", "points"): PART["points"],
    ("AnnualPartRead", "assessment_name"): "The source round's name",
    ("AnnualReviewCreate", "parts"): "The parts read from published rounds",
    ("AnnualReviewRead", "parts"): "The parts read from published rounds",
    ("AnnualReviewRead", "year"): "The school year, e.g. 2019-2020",
    ("AnnualReviewSummary", "year"): "The school year, e.g. 2019-2020",
    ("AnnualBoard", "year"): "The school year, e.g. 2019-2020",
    ("AnnualBoard", "lines"): "Each school's annual line, by name",
    ("AnnualBoard", "sources"): "The published sheets read, as stored (position and chain head)",
    ("AnnualChangeOut", "before"): "The school's total in the version before; null if it had "
                                   "no line",
    ("AnnualChangeOut", "after"): "The school's total in this version",
    ("AnnualChangeOut", "difference"): "after − before",
    ("AnnualChangeOut", "parts"): "The keys of the parts whose value changed",
    ("AnnualLineOut", "missing"): "Parts whose source has no figure for this school",
    ("AnnualLineOut", "parts"): "Each part: its source, the figure read and what it counts",
    ("AnnualPartOut", "assessment_name"): "The source round's name (empty for a manual part)",
    ("AnnualPartOut", "value"): "The figure as published (a manual part: its points)",
    ("AnnualPartOut", "via"): "The community subject read, under the share rule",
    ("AnnualSourceOut", "log_head"): "The chain head the published sheet follows from",
    ("AnnualSourceOut", "log_position"): "The log position the published sheet follows from",
    ("AnnualVersionOut", "assessment_name"): "The corrected round's name",
    ("AnnualVersionOut", "what"): "What made the version: created, source_corrected "
                                  "(a source published again) or manual (a manual part)",
    ("AnnualPartOut", "source_name"): "What the part reads, by name: 总分 (the final), the "
                                      "component's name, or 手工录入",
    ("AnnualReviewRead", "published"): "公布 to the schools: each school's reporter reads "
                                       "their own school's line",
    ("AnnualReviewSummary", "published"): "公布 to the schools",
    ("AnnualBoard", "published"): "公布 to the schools (POST …/publish)",
    ("AnnualBoard", "published_at"): "When it was published to the schools",
    ("AnnualSchoolLine", "review_id"): "The annual review's id",
    ("AnnualSchoolLine", "published"): "公布 to the schools (a reporter reads only these)",
    ("AnnualSchoolLine", "year"): "The school year, e.g. 2019-2020",
    ("AnnualSchoolLine", "name"): "The annual review's name",
    ("AnnualSchoolLine", "version"): "The review's annual version the line stands at",
    ("AnnualSchoolLine", "updated_at"): "When the current version was made",
    ("AnnualSchoolLine", "published_at"): "When the review was published to the schools",
    ("AnnualSchoolLine", "parts"): "Each part: its source, the figure read and what it counts",
    ("AnnualSchoolLine", "missing"): "Parts whose source has no figure for this school",
    ("AnnualSchoolLine", "total"): "The converted parts summed, rounded once to the precision",
    ("ManualPartIn", "points"): "Points added to the school's annual total (may be negative, "
                                "two decimals at most)",
}
ANNUAL_EXAMPLES: dict[str, dict[str, Any]] = {
    "AnnualReviewCreate": {"year": "2019-2020", "name": "2019—2020学年度教务处工作考核",
                           "parts": [{"assessment_id": ROUND, "source": "final", "points": 20,
                                      "applies_to": "subject"}]},
    "ManualPartIn": {"school_id": SCHOOL, "label": "教务处日常工作", "points": 71.5,
                     "reason": "对照《教务（导）处工作考核评分细则》查阅材料",
                     "evidence_ids": []},
}
