"""What the 组织层级 and 学期 fields mean (issue 16), and an example body for each write."""

from __future__ import annotations

from typing import Any

COUNTY = "9b2f6c1e-3d4a-4e5f-8a6b-7c8d9e0f1a2b"
NODE = "The org node it hangs under (组织层级); a scoped admin's own by default"
LEVEL = ("The level: city 市, county 县（区）, zone 片区/协作区, community 共同体, school 学校, "
         "group 教研组")
ORG_FIELDS: dict[str, str] = {
    "level": LEVEL,
    "node_id": NODE,
    "terms": "The school terms (学期), earliest first",
    "path": "The names from the top node down to this one",
}
ORG_SHAPES: dict[tuple[str, str], str] = {
    ("NodeIn", "parent_id"): "The node it hangs under (a higher level); none for a top node",
    ("NodeOut", "parent_id"): "The node it hangs under; null for a top node",
    ("NodeIn", "name"): "The node's name, e.g. 利通区",
    ("NodeOut", "name"): "The node's name",
    ("TermIn", "name"): "The term's name, e.g. 2024—2025学年第一学期",
    ("RuleIn", "forms"): "Only activities of these forms count (党建联盟: 主题党日, 研讨会); "
                         "none: every form",
    ("UnitCompliance", "forms"): "The forms the rule counts; empty for every form",
    ("UnitCompliance", "missed_terms"): "A rule every term: the terms (学期) it was behind in",
    ("UnitCompliance", "missed_ends"): "The last day of each missed window, in the order of "
                                       "missed (a term's or school year's own last day)",
    ("UnitCompliance", "missed_years"): "A rule every school_year: the school years (学年, "
                                        "e.g. 2024—2025学年) it was behind in",
    ("UserCreate", "scope"): "组织层级: an admin scoped to this org node manages only what "
                             "hangs under it (others are 404); none: the whole tenant",
}
ORG_EXAMPLES: dict[str, dict[str, Any]] = {
    "NodeIn": {"level": "county", "name": "利通区", "parent_id": COUNTY},
    "TermsIn": {"terms": [
        {"name": "2024—2025学年第一学期", "starts_on": "2024-09-01", "ends_on": "2025-01-17"},
        {"name": "2024—2025学年第二学期", "starts_on": "2025-02-17", "ends_on": "2025-07-04"}]},
}
