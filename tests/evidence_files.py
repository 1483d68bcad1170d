"""Real files of each accepted type (made with the libraries that check them), and disguised
or active ones, for the evidence tests."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)


def pdf(filler: bytes = b"", javascript: str | None = None) -> bytes:
    """A one-page PDF; ``filler`` rides in a stream (bulk that is not text), ``javascript``
    is run when it opens."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    if filler:
        stream = DecodedStreamObject()
        stream.set_data(filler)
        page[NameObject("/KaopingFiller")] = writer._add_object(stream)
    if javascript is not None:  # a document-level script (the Names tree's JavaScript)
        action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                   NameObject("/JS"): TextStringObject(javascript)})
        scripts = DictionaryObject({NameObject("/Names"): ArrayObject([
            TextStringObject("open"), writer._add_object(action)])})
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): scripts})
    writer.add_metadata({"/Title": TextStringObject("教研组会议记录")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image(kind: str, size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def office(main: str = "word/document.xml", *extra: str,
           types: str = "<Types/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        for name in (main, *extra):
            archive.writestr(name, "<x/>")
    return out.getvalue()


def mp4() -> bytes:
    ftyp = b"\0\0\0\x18ftypmp42" + b"\0\0\0\0" + b"mp42isom"
    return ftyp + b"\0\0\0\x10moov" + b"\0" * 8 + b"\0\0\0\x10mdat" + b"\x01" * 8


PDF = pdf()
