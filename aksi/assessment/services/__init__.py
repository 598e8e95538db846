"""Every change to an assessment round: one transaction, a permission check, an audit row.

The life of a round: draft (settings, participants, rubric and panelists are prepared) →
scoring (the technical team and the panelists grade) → closed (no more grades; the results are
computed as the round closes) → published (the ranking is visible to the kab/kota, to everyone
signed in and to the API). Results are only ever computed here, never typed. Corrections go
back one step with a reason (corrections.py): closed → scoring, published → closed; a draft
nobody graded may be deleted.
"""

from __future__ import annotations

from aksi.assessment.services.corrections import round_delete, round_reopen, round_unpublish
from aksi.assessment.services.panelists import round_panelist_add, round_panelist_remove
from aksi.assessment.services.results import results_compute
from aksi.assessment.services.rounds import (
    default_rubric,
    round_close,
    round_create,
    round_open_scoring,
    round_publish,
    round_update,
)
from aksi.assessment.services.rubric import rubric_item_add, rubric_item_delete, rubric_item_update
from aksi.assessment.services.scores import ScoreConflict, ScoreSaveResult, score_save

__all__ = [
    "ScoreConflict",
    "ScoreSaveResult",
    "default_rubric",
    "results_compute",
    "round_close",
    "round_create",
    "round_delete",
    "round_open_scoring",
    "round_panelist_add",
    "round_panelist_remove",
    "round_publish",
    "round_reopen",
    "round_unpublish",
    "round_update",
    "rubric_item_add",
    "rubric_item_delete",
    "rubric_item_update",
    "score_save",
]
