"""Helpers of the assessment tests: rounds made through the services, items by code, and
prevalence figures (rows of the prevalence app) to read beside the results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aksi.accounts.models import User
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound, Component, RubricItem
from aksi.prevalence.models import AdministrativeCount, SurveyPrevalence
from aksi.regions.models import Region


def make_round(actor: User, province: Region, participants: list[Region], **kw: Any) -> Any:
    return services.round_create(
        actor=actor,
        province=province,
        conducted_year=kw.pop("conducted_year", 2025),
        participants=participants,
        **kw,
    )


def item(round: AssessmentRound, code: str) -> RubricItem:
    return round.items.get(code=code)


def graded(round: AssessmentRound, component: str) -> list[RubricItem]:
    return [
        i for i in round.items.filter(component=component).order_by("order") if not i.is_computed
    ]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def simple_rubric(round: AssessmentRound, actor: User) -> dict[str, RubricItem]:
    """Replace the default rubric with two weighted items per component: technical T1 (weight
    2) and T2 (1), panel P1 (1) and P2 (3)."""
    for old in list(round.items.all()):
        services.rubric_item_delete(actor=actor, item=old)
    items = {}
    for component, code, weight in (
        (Component.TECHNICAL, "T1", 2),
        (Component.TECHNICAL, "T2", 1),
        (Component.PANEL, "P1", 1),
        (Component.PANEL, "P2", 3),
    ):
        items[code] = services.rubric_item_add(
            actor=actor,
            round=round,
            component=component,
            code=code,
            text=f"criterion {code}",
            weight=Decimal(weight),
        )
    return items


def grade(actor: User, round: AssessmentRound, code: str, item: RubricItem, letter: str) -> Any:
    return services.score_save(
        actor=actor, round=round, participant=region(code), item=item, grade=letter
    )


def full_marks(round: AssessmentRound, code: str, technical: User, panelist: User) -> None:
    """Grade A on every graded item of one kab/kota: a total of 100 (no computed item)."""
    for rubric_item in round.items.order_by("order"):
        if rubric_item.is_computed:
            continue
        scorer = technical if rubric_item.component == Component.TECHNICAL else panelist
        grade(scorer, round, code, rubric_item, "A")


def survey_figure(code: str, source: str, year: int, value: str, **kw: Any) -> SurveyPrevalence:
    return SurveyPrevalence.objects.create(
        region_id=code, source=source, year=year, prevalence=Decimal(value), **kw
    )


def eppgbm_count(
    village: str, period: str, measured: int, stunted: int, severe: int = 0
) -> AdministrativeCount:
    """e-PPGBM counts of one desa: stunted (pendek) and severely stunted (sangat pendek)."""
    return AdministrativeCount.objects.create(
        region_id=village,
        period=period,
        measured_count=measured,
        stunted_count=stunted,
        severely_stunted_count=severe,
    )
