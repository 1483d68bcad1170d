"""Evidence files: their type told by their content, their bytes stored by their hash."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from adapters import evidence_check as check

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel",
             "ppt": "application/vnd.ms-powerpoint"}
OOXML = {"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
MP4_BRANDS = {b"isom", b"iso2", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}


def sniff(head: bytes, filename: str, whole: Path) -> str | None:
    """The allowed type the file really is (pdf, doc/docx, ppt/pptx, xls/xlsx, jpg, png,
    mp4), or None when its first bytes claim none of them. ``head`` is the file's first
    bytes, ``whole`` the file: what the head claims is then checked by a parser made for the
    format (``adapters.evidence_check``), which raises ``Refused`` for a disguised, broken
    or active file. The name is consulted only to tell apart the old Office formats, which
    share one container."""
    if head.startswith(b"%PDF-"):
        check.check_pdf(whole)
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        check.check_image(whole, "PNG")
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        check.check_image(whole, "JPEG")
        return "image/jpeg"
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        check.check_mp4(whole)
        return "video/mp4"
    if head.startswith(OLE):
        suffix = filename.rsplit(".", 1)[-1].lower()
        if suffix not in OLE_TYPES:
            return None
        check.check_ole(whole, suffix)
        return OLE_TYPES[suffix]
    if head.startswith(b"PK\x03\x04"):
        return OOXML[check.check_ooxml(whole)]
    return None


HEAD = 64  # enough of a file's start to tell its type


class Spool:
    """An upload on its way in: written to a temporary file chunk by chunk while it is
    hashed, so no file is ever held whole in memory; then kept under its hash, or dropped."""

    def __init__(self, incoming: Path) -> None:
        incoming.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=incoming, prefix="upload-")
        self.path = Path(name)
        self._handle = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self.size = 0
        self.head = b""

    def write(self, chunk: bytes) -> None:
        if len(self.head) < HEAD:
            self.head += chunk[:HEAD - len(self.head)]
        self._hash.update(chunk)
        self._handle.write(chunk)
        self.size += len(chunk)

    def finish(self) -> str:
        """Make the bytes durable (and readable from the path); their sha256."""
        if not self._handle.closed:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        """Drop whatever was written (a refused or broken upload leaves nothing behind)."""
        self._handle.close()
        self.path.unlink(missing_ok=True)


class EvidenceStore(Protocol):
    """Content-addressed storage; an S3-compatible store can implement the same two calls."""

    def put(self, data: bytes) -> str: ...
    def get(self, sha256: str) -> bytes: ...


class FileEvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def spool(self) -> Spool:
        """A temporary file on the store's own disk, so keeping it is a rename."""
        return Spool(self.root / "incoming")

    def keep(self, spool: Spool) -> str:
        """Move a finished upload under its hash (atomic: a reader sees all of it or
        nothing); the same content twice is kept once. Returns the sha256."""
        sha256 = spool.finish()
        path = self._path(sha256)
        if path.exists():
            spool.discard()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(spool.path, path)
        return sha256

    def path_of(self, sha256: str) -> Path:
        return self._path(sha256)

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)  # atomic: a reader sees all of it or nothing
        return sha256

    def get(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()
