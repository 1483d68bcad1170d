"""The tenant's eventsourcing Application: load → decide → save, returning what was written."""

from __future__ import annotations

from typing import ClassVar

from domain.assessment import Assessment
from domain.evidence import EvidenceUsage
from services.access import AccessRules
from services.activities import ActivityCommands
from services.annual import AnnualCommands
from services.assessing import AssessmentCommands
from services.base import BaseApplication, CardWritten, Written
from services.drafting import DraftCommands
from services.evidence import EvidenceAccess
from services.imports import ImportCommands
from services.lifecycle import LifecycleCommands
from services.organisation import OrganisationCommands
from services.presentations import PresentationCommands
from services.records import RecordCommands
from services.windows import WindowCommands

SNAPSHOT_EVERY = 100


class TenantApplication(ActivityCommands, DraftCommands, AssessmentCommands,
                        LifecycleCommands, RecordCommands, ImportCommands, OrganisationCommands,
                        PresentationCommands, WindowCommands, EvidenceAccess, AccessRules,
                        AnnualCommands,
                        BaseApplication):
    """Everything a district can do: organisation, rubrics, assessments, scoring."""

    # An assessment gathers hundreds of events (subjects, panel, recusals, draws, refusals):
    # rebuild it from a snapshot taken every SNAPSHOT_EVERY events (bench/snapshots.py).
    # The tenant's evidence usage gains an event per upload: snapshot it the same way.
    snapshotting_intervals: ClassVar[dict[type, int]] = {Assessment: SNAPSHOT_EVERY,
                                                         EvidenceUsage: SNAPSHOT_EVERY}


__all__ = ["CardWritten", "TenantApplication", "Written"]
