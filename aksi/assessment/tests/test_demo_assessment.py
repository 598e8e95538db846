"""The demo's published NTB round: made by `aksi demo seed`, once."""

from __future__ import annotations

from aksi.assessment.demo import DEMO_CONDUCTED_YEAR, assessment_demo_seed
from aksi.assessment.models import AssessmentRound, Component, RoundStatus
from aksi.core.demo import demo_seed


def test_the_demo_has_a_published_round_scored_by_two_panelists_and_the_team(db: None) -> None:
    demo_seed()
    round = AssessmentRound.objects.get(province_id="52", conducted_year=DEMO_CONDUCTED_YEAR)
    assert round.status == RoundStatus.PUBLISHED
    assert round.assessed_year == DEMO_CONDUCTED_YEAR - 1
    assert round.participants.count() == 10  # every kab/kota of NTB
    panel_scorers = set(
        round.scores.filter(item__component=Component.PANEL).values_list(
            "scorer__username", flat=True
        )
    )
    assert panel_scorers == {"ntb.panelis", "ntb.panelis2"}
    technical_scorers = set(
        round.scores.filter(item__component=Component.TECHNICAL).values_list(
            "scorer__username", flat=True
        )
    )
    assert technical_scorers == {"ntb.reviewer"}
    results = list(round.results.order_by("rank"))
    assert len(results) == 10
    assert results[0].rank == 1
    assert all(r.panelists_counted == 2 for r in results)
    # Idempotent: a second seed (and the seed of an existing demo) adds nothing.
    assert assessment_demo_seed() == 0
    demo_seed()
    assert AssessmentRound.objects.count() == 1
    assert round.scores.count() == 170  # 10 kab/kota × (7 technical + 2 × 5 panel) items
