"""Is an uploaded file what it says it is, and free of active content?

The first bytes only say what a file claims to be; each claim is then checked by a parser
made for the format: pypdf for PDF, Pillow for images, the zip directory for Office files,
olefile for the old Office formats, the box structure for MP4. Active content is refused:
PDF scripts and actions that run or send something (JavaScript, also as an OpenAction or an
additional action; Launch, SubmitForm, ImportData…) and embedded files, Office macros (VBA projects,
macro-enabled types) and ActiveX controls. A file that cannot be checked is refused.

Old Office formats (.doc, .xls, .ppt, one OLE container): the container must parse, hold the
main stream of the format its name claims, and carry no VBA storage. Macros of a .ppt live
inside its main stream, so its records are walked for a VBA project (``VBAInfoContainer``).
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import olefile
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

PIXELS_MAX = 100_000_000  # past this a picture is a decompression bomb

# An /OpenAction or /AA (additional actions) that only goes to a page, as Word and WPS write,
# is harmless: what runs something is the action's type (/S) or a script (/JS), wherever.
PDF_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/Launch", "/EmbeddedFile",
                             "/EmbeddedFiles", "/RichMedia", "/XFA"})
PDF_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData",
                                "/GoToE", "/RichMediaExecute", "/Rendition"})
PDF_OBJECTS_MAX = 200_000  # a walk over more objects than this is refused, not attempted
OLE_MAIN_STREAMS = {"doc": ("WordDocument",), "xls": ("Workbook", "Book"),
                    "ppt": ("PowerPoint Document",)}
OLE_MACRO_STORAGES = frozenset({"macros", "_vba_project_cur", "vba", "_vba_project"})
OOXML_MAIN = {"word/": "word/document.xml", "xl/": "xl/workbook.xml",
              "ppt/": "ppt/presentation.xml"}
ZIP_MEMBERS_MAX = 10_000
ZIP_UNPACKED_MAX = 1024 * 1024 * 1024  # an Office file that unpacks past 1 GiB is a bomb
MP4_BOX = re.compile(rb"[A-Za-z0-9 \xa9]{4}")  # ©xyz boxes too
PPT_VBA_INFO = 0x03FF  # RT_VBAInfo: the record that carries a presentation's VBA project


class Refused(ValueError):
    """The file is not the format it claims, or it carries active content."""


def check_pdf(path: Path) -> None:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 1024))
        tail = handle.read()
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail[end + 5:].strip():
        raise Refused("the PDF does not end where a PDF ends (data follows it)")
    try:
        # Lenient about small defects real producers leave (a cross-reference table a few
        # bytes off is rebuilt); what cannot be parsed into pages is refused.
        reader = PdfReader(path, strict=False)
        if len(reader.pages) < 1:
            raise Refused("the PDF has no pages")
        _walk_pdf(reader.trailer)
    except Refused:
        raise
    except Exception as broken:  # any parser failure: not a PDF we can vouch for
        raise Refused("the PDF cannot be read") from broken


def _walk_pdf(root: object) -> None:
    """Every object reachable from the trailer, once: no key or action that runs something."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > PDF_OBJECTS_MAX:
                raise Refused("the PDF has too many objects to check")
            stack.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            active = PDF_ACTIVE_KEYS.intersection(item.keys())
            if active or item.get("/S") in PDF_ACTIVE_ACTIONS:
                raise Refused("the PDF carries active content (scripts, actions or "
                              "embedded files)")
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def check_image(path: Path, expected: str) -> None:
    try:
        with Image.open(path) as image:  # past twice PIXELS_MAX, Pillow itself refuses
            if image.format != expected:
                raise Refused(f"the image is not a {expected}")
            if image.width * image.height > PIXELS_MAX:
                raise Refused("the image has too many pixels")
            image.verify()  # chunk checksums, structure
        if expected == "JPEG":  # decode its data too, at 1/8 scale (cheap in memory)
            with Image.open(path) as image:
                image.draft("L", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except Refused:
        raise
    except Exception as broken:
        raise Refused("the image cannot be read") from broken
    if expected == "PNG":
        with path.open("rb") as handle:
            handle.seek(-12, 2)
            if handle.read()[4:8] != b"IEND":
                raise Refused("the PNG does not end where a PNG ends (data follows it)")


def check_ooxml(path: Path) -> str:
    """The Office package's kind (``word/``, ``xl/``, ``ppt/``); refused if broken or active."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MEMBERS_MAX or sum(m.file_size for m in members) > \
                    ZIP_UNPACKED_MAX:
                raise Refused("the Office file unpacks to too much")
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names:
                raise Refused("the Office file has no [Content_Types].xml")
            if archive.testzip() is not None:
                raise Refused("the Office file is damaged")
            types = archive.read("[Content_Types].xml").lower()
    except Refused:
        raise
    except Exception as broken:
        raise Refused("the Office file cannot be read") from broken
    lowered = {name.lower() for name in names}
    if b"macroenabled" in types or b"vbaproject" in types or any(
            name.endswith("vbaproject.bin") or "/activex/" in f"/{name}" for name in lowered):
        raise Refused("the Office file carries macros or ActiveX controls")
    for prefix, main in OOXML_MAIN.items():
        if main in names:
            return prefix
    raise Refused("the Office file is not a document, workbook or presentation")


def check_ole(path: Path, suffix: str) -> None:
    """An old Office file (.doc/.xls/.ppt): a sound container with its format's main stream
    and no VBA project."""
    try:
        with olefile.OleFileIO(str(path), raise_defects=olefile.DEFECT_INCORRECT) as ole:
            entries = [tuple(part.lower() for part in entry) for entry in
                       ole.listdir(streams=True, storages=True)]
            if not any(ole.exists(stream) for stream in OLE_MAIN_STREAMS[suffix]):
                raise Refused(f"the file is not a .{suffix} document")
            if any(part in OLE_MACRO_STORAGES for entry in entries for part in entry):
                raise Refused("the Office file carries macros")
            if suffix == "ppt":
                _ppt_has_no_vba(ole.openstream("PowerPoint Document").read())
    except Refused:
        raise
    except Exception as broken:
        raise Refused("the Office file cannot be read") from broken


def _ppt_has_no_vba(stream: bytes) -> None:
    """Walk the presentation's records (containers have version 0xF) for a VBA project."""
    stack = [(0, len(stream))]
    while stack:
        at, end = stack.pop()
        while at + 8 <= end:
            version_instance, kind, length = struct.unpack_from("<HHI", stream, at)
            if kind == PPT_VBA_INFO:
                raise Refused("the presentation carries macros")
            body = at + 8
            if version_instance & 0xF == 0xF:
                stack.append((body, min(end, body + length)))
            at = body + length


def check_mp4(path: Path) -> None:
    """Top-level boxes chain from the ``ftyp`` box to the file's end, with a ``moov``."""
    size, at, kinds = path.stat().st_size, 0, []
    with path.open("rb") as handle:
        while at < size:
            handle.seek(at)
            header = handle.read(16)
            if len(header) < 8:
                raise Refused("the video's boxes are broken")
            length, kind = struct.unpack_from(">I4s", header)
            if length == 1 and len(header) == 16:
                length = struct.unpack_from(">Q", header, 8)[0]
            elif length == 0:
                length = size - at  # the last box runs to the end
            if length < 8 or at + length > size or not MP4_BOX.fullmatch(kind):
                raise Refused("the video's boxes are broken")
            kinds.append(kind)
            at += length
    if not kinds or kinds[0] != b"ftyp" or b"moov" not in kinds:
        raise Refused("the video is not an MP4 file")
