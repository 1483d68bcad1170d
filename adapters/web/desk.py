"""The auditor's desk and the admin's live view of a round: their pages under
``/t/{tenant}/``, each with the signed-in ``who`` (``adapters/web/session.py``)."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide

from adapters.web.asof import board_as_of
from adapters.web.auditing import audit_index, timeline
from adapters.web.cards import card_history
from adapters.web.checks import export, verify
from adapters.web.rounds import round_step, round_view
from adapters.web.session import viewer

AUDIT_DESK = Router(
    "/t/{tenant:str}", dependencies={"who": Provide(viewer)},
    route_handlers=[audit_index, export, timeline, board_as_of, card_history, verify,
                    round_view, round_step])
