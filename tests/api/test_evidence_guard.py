"""An upload's body is read only after the caller is admitted: no token → 401, a role that may
not upload → 403, another tenant → 404, each answered with not one byte of the body read."""

from collections.abc import Iterator

import anyio
import pytest

from adapters.http.app import create_app
from tests.api.flow import create_tenant
from tests.api.test_activities import reporter_of
from tests.evidence_files import PDF

BOUNDARY = "kaopingboundary"
DECLARED = 45 * 1024 * 1024  # under the 50 MB upload limit: only the caller tells it apart


def form(content: bytes, name: str = "a.pdf") -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").encode() + \
        content + f"\r\n--{BOUNDARY}--\r\n".encode()


class Body:
    """A streamed request body that counts the bytes the server pulled from it."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.yielded = 0

    async def receive(self) -> dict:
        chunk = next(self.chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        self.yielded += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}


def huge() -> Iterator[bytes]:
    for _ in range(DECLARED // 65536):
        yield b"\0" * 65536


def post(app, path: str, body: Body, token: str | None, length: int = DECLARED,
         kind: str = f"multipart/form-data; boundary={BOUNDARY}") -> int:
    headers = [(b"content-type", kind.encode()), (b"content-length", str(length).encode())]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("testserver", 80), "state": {}}
    anyio.run(app, scope, body.receive, send)
    return next(m for m in sent if m["type"] == "http.response.start")["status"]


@pytest.fixture
def district(client, new_slug):
    admin = create_tenant(client, new_slug(), "平罗县教研室")
    school = admin.post("/schools", {"name": "平罗第一小学", "group": "g", "stage": "小学"})["id"]
    judge = admin.post("/users", {"name": "评委甲", "role": "judge"})["token"]
    return admin, reporter_of(admin, school), judge


def test_no_body_is_read_before_the_caller_is_admitted(container, district, new_slug,
                                                         client) -> None:
    admin, reporter, judge = district
    app = create_app(container)
    path = admin.url("/evidence")
    for token, status in ((None, 401), ("kp_not_a_token", 401), (judge, 403)):
        for kind in (f"multipart/form-data; boundary={BOUNDARY}", "application/octet-stream"):
            body = Body(huge())
            assert post(app, path, body, token, kind=kind) == status, (token, kind)
            assert body.yielded == 0, (token, kind)  # answered with the body unread
    other = create_tenant(client, new_slug(), "姚伏镇")
    body = Body(huge())
    assert post(app, path, body, other.token) == 404  # a token of another tenant
    assert body.yielded == 0
    # JSON routes too: an anonymous 45 MB body to any write is not read.
    body = Body(huge())
    assert post(app, admin.url("/schools"), body, None, kind="application/json") == 401
    assert body.yielded == 0
    # An uploader of this tenant is admitted, and only then is the body read.
    whole = form(PDF)
    body = Body(iter([whole[:100], whole[100:]]))
    assert post(app, path, body, reporter.token, length=len(whole)) == 201
    assert body.yielded == len(whole)


def test_the_upload_limit_is_only_for_a_multipart_upload(container, district) -> None:
    """Not multipart, the evidence route has the ordinary JSON limit (1 MB): a large body of
    another kind is refused 413 from its declared length, unread."""
    _, reporter, _ = district
    app = create_app(container)
    body = Body(huge())
    assert post(app, reporter.url("/evidence"), body, reporter.token,
                kind="application/json") == 413
    assert body.yielded == 0
