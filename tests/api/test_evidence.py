"""佐证材料 opened by those who may see it (404 to anyone else); uploads streamed to disk."""

import dataclasses
import hashlib
import os

import anyio
import pytest
from litestar.testing import TestClient

from adapters.evidence import Spool
from adapters.http.app import create_app
from tests.api.flow import Api, bearer, create_tenant
from tests.api.test_activities import PDF, one_school_round, reporter_of, upload
from tests.evidence_files import pdf

MINUTES = pdf(os.urandom(300_000))  # more than one chunk of a stream, and not text
LEAF = [{"code": "1", "title": "组织建设", "max_points": 10}]


def opened(api: Api, evidence_id: str):
    return api.client.get(api.url(f"/evidence/{evidence_id}/content"), headers=bearer(api.token))


def judge_on(admin: Api, assessment: str, name: str) -> tuple[str, Api]:
    made = admin.post("/users", {"name": name, "role": "judge"})
    admin.post(f"/assessments/{assessment}/panel", {"judge_id": made["id"]})
    return made["id"], admin.as_(made["token"])


@pytest.fixture
def given(client, new_slug):
    """A school's reporter gives a file in its self-assessment of one round; another round
    assesses another school."""
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    mine = admin.post("/schools", {"name": "珠晖实验学校", "group": "g", "stage": "初中"})["id"]
    theirs = admin.post("/schools", {"name": "冶金子弟学校", "group": "g", "stage": "初中"})["id"]
    aid, subject = one_school_round(admin, mine, LEAF)
    other_aid, other_subject = one_school_round(admin, theirs, LEAF)
    people = {"admin": admin,
              "auditor": admin.as_(admin.post("/users", {"name": "监察室",
                                                         "role": "auditor"})["token"]),
              "judge": judge_on(admin, aid, "评委甲")[1],
              "other_judge": judge_on(admin, other_aid, "评委乙")[1]}
    people["recused_judge"] = judge_on(admin, aid, "评委丙")[1]
    for round_id in (aid, other_aid):
        admin.post(f"/assessments/{round_id}/open", expect=200)
    people["recused_judge"].post(f"/assessments/{aid}/recusals",
                                 {"subject_id": subject, "reason": "曾任该校教师"})
    people["reporter"] = reporter_of(admin, mine)
    people["colleague"] = reporter_of(admin, mine)
    people["stranger"] = reporter_of(admin, theirs)
    evidence = upload(people["reporter"], MINUTES, "教研组会议记录.pdf")
    people["reporter"].put(f"/assessments/{aid}/self-assessments/{subject}/r",
                           {"scores": {"1": 9}, "evidence": {"1": [evidence["id"]]}})
    people["their_self_assessment"] = f"/assessments/{other_aid}/self-assessments/{other_subject}/r"
    return people, evidence


def test_each_role_that_may_see_the_evidence_gets_its_exact_bytes_and_type(given) -> None:
    people, evidence = given
    for who in ("admin", "auditor", "judge", "reporter", "colleague"):
        r = opened(people[who], evidence["id"])
        assert r.status_code == 200, (who, r.text)
        assert r.content == MINUTES, who
        assert r.headers["content-type"] == "application/pdf", who
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    name = "%E6%95%99%E7%A0%94%E7%BB%84%E4%BC%9A%E8%AE%AE%E8%AE%B0%E5%BD%95.pdf"  # 教研组会议记录
    assert f"filename*=UTF-8''{name}" in disposition
    assert 'filename="evidence.pdf"' in disposition  # for clients without RFC 5987


def test_anyone_else_gets_404_as_if_there_were_no_such_evidence(given, client, new_slug) -> None:
    people, evidence = given
    for who in ("other_judge", "recused_judge", "stranger"):
        r = opened(people[who], evidence["id"])
        assert r.status_code == 404, (who, r.text)
        assert "%PDF" not in r.text
    elsewhere = create_tenant(client, new_slug(), "平罗县教研室")
    assert opened(elsewhere.as_(elsewhere.token), evidence["id"]).status_code == 404
    intruder = Api(client, people["admin"].slug, elsewhere.token)  # another tenant's token
    assert opened(intruder, evidence["id"]).status_code == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert opened(people["admin"], unknown).status_code == 404
    # Nor can another school's reporter open it by giving it in their own self-assessment.
    people["stranger"].put(people["their_self_assessment"], {
        "scores": {"1": 9}, "evidence_ids": [evidence["id"]]}, expect=404)
    assert opened(people["stranger"], evidence["id"]).status_code == 404
    assert opened(people["other_judge"], evidence["id"]).status_code == 404


def test_a_judge_opens_evidence_only_once_it_is_given_in_their_round(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    school = admin.post("/schools", {"name": "珠晖实验学校", "group": "g", "stage": "初中"})["id"]
    aid, subject = one_school_round(admin, school, LEAF)
    _, judge = judge_on(admin, aid, "评委甲")
    admin.post(f"/assessments/{aid}/open", expect=200)
    reporter = reporter_of(admin, school)
    first = upload(reporter, PDF, "a.pdf")["id"]
    second = upload(reporter, MINUTES, "b.pdf")["id"]
    assert opened(judge, first).status_code == 404  # uploaded, given nowhere yet
    path = f"/assessments/{aid}/self-assessments/{subject}/r"
    reporter.put(path, {"scores": {"1": 9}, "evidence_ids": [first]})
    assert opened(judge, first).content == PDF
    reporter.put(path, {"scores": {"1": 9}, "evidence_ids": [second]})  # withdrawn, replaced
    assert opened(judge, first).status_code == 404
    assert opened(judge, second).content == MINUTES


def stored_files(container) -> set[str]:
    root = container.settings.data_dir / "evidence"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_an_upload_is_hashed_and_stored_as_it_streams(given, container) -> None:
    _, evidence = given
    sha = hashlib.sha256(MINUTES).hexdigest()
    assert evidence["sha256"] == sha and evidence["size"] == len(MINUTES)
    stored = container.settings.data_dir / "evidence"
    assert (stored / sha[:2] / sha).read_bytes() == MINUTES
    assert not [p for p in (stored / "incoming").iterdir()]  # nothing left half-way


def test_an_upload_over_the_limit_is_413_and_stores_nothing(container, given,
                                                             monkeypatch) -> None:
    people, _ = given
    spooled: list[int] = []
    write = Spool.write
    monkeypatch.setattr(Spool, "write", lambda self, chunk: (spooled.append(len(chunk)),
                                                             write(self, chunk))[1])
    reporter = people["reporter"]
    small = dataclasses.replace(container, settings=dataclasses.replace(
        container.settings, evidence_max_bytes=100_000))
    app = create_app(small)
    before = stored_files(container)
    with TestClient(app) as client:  # the declared length is already too much
        r = client.post(reporter.url("/evidence"), files={"file": ("big.pdf", MINUTES)},
                        headers=bearer(reporter.token))
    assert r.status_code == 413
    # Without a declared length, the limit is met mid-stream, after part of the file is
    # already spooled to disk: that part is dropped.
    boundary = "kaopingboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = head + MINUTES + tail
    chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)]
    status, answer = anyio.run(asgi_post, app, reporter.url("/evidence"), chunks, [
        (b"authorization", f"Bearer {reporter.token}".encode()),
        (b"content-type", f"multipart/form-data; boundary={boundary}".encode())])
    assert status == 413, answer
    assert sum(spooled) > 0  # it had begun to write the file
    assert stored_files(container) == before
    uploads = [e for e in people["auditor"].get("/events", limit=1000)["events"]
               if e["topic"].endswith("Evidence.Uploaded")]
    assert len(uploads) == 1  # only the one the fixture made


async def asgi_post(app, path: str, chunks: list[bytes], headers) -> tuple[int, bytes]:
    """POST a body in several ASGI messages, as a server streams a chunked upload."""
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
                for i, c in enumerate(chunks)]
    sent: list[dict] = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("testserver", 80), "state": {}}
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent
                                      if m["type"] == "http.response.body")
