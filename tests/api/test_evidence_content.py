"""Evidence is checked by its format's parser, not its first bytes: disguised, broken and
active files are refused 422 with nothing stored; no date after today; names kept clean."""

from datetime import date, timedelta
from urllib.parse import unquote

import pytest

from tests.api.flow import bearer, create_tenant
from tests.api.test_activities import reporter_of, upload
from tests.api.test_evidence import stored_files
from tests.evidence_files import PDF, image, office, pdf


@pytest.fixture
def reporter(client, new_slug):
    admin = create_tenant(client, new_slug(), "平罗县教研室")
    school = admin.post("/schools", {"name": "平罗第一小学", "group": "g", "stage": "小学"})["id"]
    return admin, reporter_of(admin, school)


def uploads_in_log(admin) -> int:
    auditor = admin.as_(admin.post("/users", {"name": f"监察{len(admin.token)}",
                                               "role": "auditor"})["token"])
    return sum(e["topic"].endswith("Evidence.Uploaded")
               for e in auditor.get("/events", limit=1000)["events"])


DISGUISED = {
    "PDF header, then HTML": (b"%PDF-1.7\n<html><script>alert(document.cookie)</script>"
                              b"</html>", "报告.pdf"),
    "a real PDF with HTML after it": (PDF + b"<html><script>alert(1)</script></html>",
                                      "报告.pdf"),
    "PNG header, then SVG": (b"\x89PNG\r\n\x1a\n<svg xmlns='http://www.w3.org/2000/svg' "
                             b"onload='alert(1)'/>", "照片.png"),
    "a real PNG with SVG after it": (image("PNG") + b"<svg onload='alert(1)'/>", "照片.png"),
    "JPEG header, then nothing": (b"\xff\xd8\xff\xe0" + b"\0" * 64, "照片.jpg"),
    "PDF with JavaScript": (pdf(javascript="app.launchURL('http://x.example')"), "报告.pdf"),
    "Word with macros": (office("word/document.xml", "word/vbaProject.bin"), "总结.docx"),
    "macro-enabled type": (office(types="<Types><Override ContentType='application/"
                                        "vnd.ms-word.document.macroEnabled.main+xml'/></Types>"),
                           "总结.docx"),
    "zip without a document": (office("readme.txt"), "总结.docx"),
    "OLE header, then junk": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "旧.doc"),
    "MP4 whose boxes run past its end": (b"\0\0\0\x18ftypmp42" + b"\0" * 8 +
                                         b"\0\0\x10\0moov", "课堂.mp4"),
}


@pytest.mark.parametrize("what", DISGUISED)
def test_a_disguised_or_active_file_is_refused_and_nothing_is_stored(reporter, container,
                                                                      what) -> None:
    admin, uploader = reporter
    content, name = DISGUISED[what]
    before = stored_files(container)
    refused = upload(uploader, content, name, expect=422)
    assert refused["errors"][0]["field"] == "file"
    assert any("\u4e00" <= c <= "\u9fff" for c in refused["detail"]), refused["detail"]
    assert stored_files(container) == before
    assert uploads_in_log(admin) == 0


def test_real_files_of_each_type_are_accepted(reporter) -> None:
    _, uploader = reporter
    assert upload(uploader, PDF, "a.pdf")["content_type"] == "application/pdf"
    assert upload(uploader, image("PNG"), "a.png")["content_type"] == "image/png"
    assert upload(uploader, image("JPEG"), "a.jpg")["content_type"] == "image/jpeg"
    # A page reached on opening (as Word and WPS write it) is not active content.
    assert upload(uploader, office(), "a.docx")["content_type"].endswith("document")


def test_an_evidence_date_after_today_is_refused(reporter, container) -> None:
    admin, uploader = reporter
    before = stored_files(container)
    for day in ("9999-12-31", (date.today() + timedelta(days=2)).isoformat()):
        refused = upload(uploader, PDF, "a.pdf", day, expect=422)
        assert refused["errors"][0]["field"] == "dated"
        assert "晚于今天" in refused["detail"]
    assert stored_files(container) == before
    assert uploads_in_log(admin) == 0
    assert upload(uploader, PDF, "a.pdf", "2020-09-11")["dated"] == "2020-09-11"


def test_a_file_name_is_kept_as_display_text_without_control_or_bidi_characters(
        reporter) -> None:
    _, uploader = reporter
    given = "C:\\Users\\教务处\\会议\u202egpj.exe\x07\u200b记录\x00.pdf"
    boundary = "kaopingboundary"  # by hand: a browser's form would escape the characters
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{given}\"\r\n\r\n").encode() + PDF + f"\r\n--{boundary}--\r\n".encode()
    made = uploader.client.post(uploader.url("/evidence"), content=body, headers={
        **bearer(uploader.token), "content-type": f"multipart/form-data; boundary={boundary}"})
    assert made.status_code == 201, made.text
    r = uploader.client.get(uploader.url(f"/evidence/{made.json()['id']}/content"),
                            headers=bearer(uploader.token))
    assert r.status_code == 200
    disposition = r.headers["content-disposition"]
    shown = unquote(disposition.split("filename*=UTF-8''")[1])
    assert shown == "会议gpj.exe记录.pdf"
