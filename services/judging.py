"""盲评 moved to ``services/access.py``, with the other access rules; these names stay
importable for code written before the move."""

from services.access import AccessRules as JudgingAccess
from services.access import check_board_open_to, subjects_seen_by

__all__ = ["JudgingAccess", "check_board_open_to", "subjects_seen_by"]
