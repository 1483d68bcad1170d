"""Whose evidence it is (佐证材料属于哪所学校), on the in-memory application."""

from datetime import date

from domain.cause import Cause
from domain.evidence import Evidence
from domain.user import Affiliation
from services.evidence import UploadLimits
from tests.factories import cause
from tests.memory import world

TODAY = date(2020, 1, 2)
LIMITS = UploadLimits(quota_bytes=10**9, daily_bytes_per_user=10**9)


def reporter_cause(user_id) -> Cause:
    return Cause(str(user_id), "reporter", "req-r")


def test_evidence_belongs_to_its_reporters_schools_when_uploaded() -> None:
    w = world()
    app = w.app
    rep = app.register_user("教务处", "reporter", (Affiliation("school", w.schools[0]),
                                                  Affiliation("unit", w.units[0])), cause()).id
    written = app.register_evidence("ab" * 32, 10, "application/pdf", "记录.pdf",
                                    date(2020, 1, 1), TODAY, LIMITS, reporter_cause(rep))
    app.change_affiliations(rep, (Affiliation("school", w.schools[1]),), cause(reason="调动"))
    # the 教研组 stands for its school: the evidence is the two schools', as it was uploaded
    assert app.owners_of(app.evidence(written.id)) == {w.schools[0], w.schools[3]}


def test_evidence_from_before_owners_were_kept_is_its_uploaders_schools_now() -> None:
    w = world()
    app = w.app
    rep = app.register_user("教务处", "reporter", (Affiliation("school", w.schools[2]),),
                            cause()).id
    old = Evidence(sha256="cd" * 32, size=10, content_type="application/pdf",
                   filename="旧记录.pdf", dated=date(2020, 1, 1), cause=reporter_cause(rep))
    app.save(old)  # as stored by an earlier release: no owners in the event
    assert old.owners == ()
    assert app.owners_of(app.evidence(old.id)) == {w.schools[2]}
    by_admin = app.register_evidence("ef" * 32, 10, "application/pdf", "区级.pdf",
                                     date(2020, 1, 1), TODAY, LIMITS, cause())
    assert app.owners_of(app.evidence(by_admin.id)) == frozenset()
