"""佐证材料 opened from a page: the file, shown in the browser where it can be (pdf, images,
video), to whoever the service lets open it (the API's rule: a judge only for a subject they
score); anyone else gets 404, as if it did not exist."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from litestar import get
from litestar.di import Provide
from litestar.response import File

from adapters.container import Container
from adapters.http.auth import PUBLIC, allow
from adapters.http.evidence import disposition, store_of
from adapters.web.session import viewer
from domain.errors import NotFound
from domain.evidence import display_name
from tenants.model import Principal

SHOWN = {"application/pdf", "image/jpeg", "image/png", "video/mp4"}


@get("/t/{tenant:str}/evidence/{evidence_id:uuid}", opt=allow(PUBLIC),
     include_in_schema=False, dependencies={"me": Provide(viewer)}, sync_to_thread=True)
def evidence_file(tenant: str, evidence_id: UUID, me: Principal, container: Container) -> File:
    evidence = container.app(tenant).evidence_to_open(evidence_id, me.role, me.user_id)
    path = store_of(container).path_of(evidence.sha256)
    if not path.is_file():
        raise NotFound(f"the file of evidence {evidence_id} is missing from the store")
    name = display_name(evidence.filename)
    shown = evidence.content_type in SHOWN
    header = (f"inline; filename*=UTF-8''{quote(name, safe='')}" if shown
              else disposition(name))
    return File(path=path, media_type=evidence.content_type,
                headers={"content-disposition": header})
