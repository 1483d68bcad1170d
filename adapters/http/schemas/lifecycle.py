"""Shapes: the round's lifecycle (close, finalise, reopen) and its progress (评分进度)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import In, Text

__all__ = ["CardProgress", "CloseIn", "FinaliseIn", "JudgeProgress", "Progress",
           "RoundReopenIn", "SubjectProgress"]


class CloseIn(In):
    force: Annotated[Text | None, Meta(
        description="Close although cards are missing; the reason is recorded")] = None


class FinaliseIn(In):
    accept_incomplete: Annotated[Text | None, Meta(
        description="Finalise although cards are missing or subjects are below quorum; "
                    "the reason is recorded")] = None


class RoundReopenIn(In):
    reason: Annotated[Text | None, Meta(
        description="Why the closed round goes back to open (required)")] = None


class JudgeProgress(Struct):
    judge_id: UUID
    name: str
    not_started: int
    saved: int
    submitted: int
    recused: int
    reopened: int  # of the saved, how many were reopened after submission
    recused_subjects: list[str]  # names of the subjects the judge is recused from (回避)


class SubjectProgress(Struct):
    subject_id: UUID
    name: str
    group: str
    group_name: str | None
    not_started: int
    saved: int
    submitted: int
    recused: int
    reopened: int


class CardProgress(Struct):
    judge_id: UUID
    judge_name: str
    subject_id: UUID
    subject_name: str
    component: str
    component_name: str
    state: str  # not_started | saved | reopened | submitted | recused
    label: str  # 未开始 | 已保存 | 已退回 | 已提交 | 回避


class Progress(Struct):
    assessment_id: UUID
    status: str
    position: int
    caught_up: bool
    judges: list[JudgeProgress]
    subjects: list[SubjectProgress]
    cards: list[CardProgress]
