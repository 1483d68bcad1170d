"""The tenant's eventsourcing Application: load → decide → save, returning what was written."""

from __future__ import annotations

from services.assessing import AssessmentCommands
from services.base import BaseApplication, CardWritten, Written
from services.organisation import OrganisationCommands


class TenantApplication(AssessmentCommands, OrganisationCommands, BaseApplication):
    """Everything a district can do: organisation, rubrics, assessments, scoring."""


__all__ = ["CardWritten", "TenantApplication", "Written"]
