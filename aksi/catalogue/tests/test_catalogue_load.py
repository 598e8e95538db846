from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from aksi.catalogue.models import (
    Action,
    ActionFramework,
    Indicator,
    NationalTarget,
    Pillar,
    ReportingYear,
    Step,
    TargetGroup,
)

pytestmark = pytest.mark.django_db


def test_it_loads_the_31_indicators_of_2025() -> None:
    indicators = Indicator.objects.filter(catalogue__year=2025)
    assert indicators.count() == 31
    assert indicators.filter(certainty="A").count() == 20
    assert indicators.filter(certainty="E").count() == 9
    assert indicators.filter(certainty="P").count() == 2


def test_it_loads_both_frameworks_with_their_actions() -> None:
    new = ActionFramework.objects.get(code="aksi6_2025")
    old = ActionFramework.objects.get(code="aksi8_2018")
    assert list(new.actions.values_list("code", flat=True)) == [
        "AU1",
        "AU2",
        "AU3",
        "AU4",
        "AP1",
        "AP2",
    ]
    assert new.actions.filter(kind=Action.Kind.MAIN_ACTION).count() == 4
    assert new.actions.filter(kind=Action.Kind.SUPPORTING_ACTION).count() == 2
    assert old.actions.count() == 8
    assert (old.first_year, old.last_year, old.successor) == (2018, 2024, new)
    assert old.actions.get(code="A4").successor_codes == ["AP1"]
    assert old.actions.get(code="A2").successor_codes == ["AU2", "AU3"]


def test_it_loads_the_steps_of_2025_with_their_windows() -> None:
    steps = Step.objects.filter(framework__code="aksi6_2025")
    assert list(steps.values_list("code", flat=True)) == [
        "1",
        "2a",
        "2b",
        "3a",
        "3b",
        "3c",
        "3d",
        "4",
        "R",
        "P",
    ]
    step_3d = steps.get(code="3d")
    assert step_3d.action.code == "AU3"
    assert step_3d.levels == ["subdistrict"]
    # Semester II is reported from December into January of the next year.
    assert step_3d.window(2025) == (datetime.date(2025, 12, 1), datetime.date(2026, 1, 31))
    assert steps.get(code="1").levels == ["province", "district", "subdistrict"]
    assert steps.get(code="R").is_continuous
    assert set(steps.get(code="P").pillars.values_list("code", flat=True)) == {"P2"}


def test_it_loads_the_national_prevalence_targets_with_sources() -> None:
    targets = {t.year: t for t in NationalTarget.objects.filter(metric="stunting_prevalence")}
    assert targets[2024].value == Decimal("14.0")
    assert targets[2025].value == Decimal("18.8")
    assert targets[2029].value == Decimal("14.2")
    assert targets[2045].value == Decimal("5.0")
    assert targets[2025].source == "RPJMN 2025–2029"
    assert "Perpres 72/2021" in targets[2024].source


def test_it_points_each_reporting_year_at_its_framework_and_catalogue() -> None:
    years = {y.year: y for y in ReportingYear.objects.select_related("framework", "catalogue")}
    assert sorted(years) == list(range(2018, 2027))
    for year in range(2018, 2025):
        assert years[year].framework.code == "aksi8_2018"
        assert years[year].status == ReportingYear.Status.CLOSED
        assert years[year].catalogue is None
    assert years[2025].framework.code == "aksi6_2025"
    assert years[2025].status == ReportingYear.Status.OPEN
    assert years[2025].catalogue is not None
    assert years[2025].catalogue.year == 2025
    assert years[2026].status == ReportingYear.Status.PLANNING
    assert years[2026].catalogue is None


def test_it_loads_five_pillars_and_six_objectives() -> None:
    assert Pillar.objects.filter(kind=Pillar.Kind.PILLAR).count() == 5
    objectives = Pillar.objects.filter(kind=Pillar.Kind.OBJECTIVE)
    assert objectives.count() == 6
    assert all("6 pilar" in o.description for o in objectives)


def test_it_records_entry_level_binary_flags_and_target_groups() -> None:
    indicators = {i.code: i for i in Indicator.objects.filter(catalogue__year=2025)}
    assert indicators["RT-04"].entry_level == Indicator.EntryLevel.DISTRICT
    assert {c for c, i in indicators.items() if i.entry_level != "village"} == {"RT-04"}
    assert {c for c, i in indicators.items() if i.is_binary} == {"RT-03", "RT-05"}
    assert indicators["IB-03"].target_group.code == "chronic_energy_deficiency"
    assert indicators["IB-03"].target_group.root.code == "mother"
    assert indicators["KL-01"].national_target == Decimal("15.5")
    assert indicators["KL-01"].direction == Indicator.Direction.LOWER
    assert indicators["RP-02"].target_year == 2024
    assert set(indicators["KL-06"].pillars.values_list("code", flat=True)) == {"P3", "P4"}


def test_it_loads_the_target_group_tree_with_age_bounds() -> None:
    roots = TargetGroup.objects.filter(parent__isnull=True)
    assert set(roots.values_list("code", flat=True)) == {
        "mother",
        "child_under_two",
        "child_under_five",
        "adolescent_girl",
        "engaged_couple",
        "household_and_community",
    }
    under_two = TargetGroup.objects.get(code="child_under_two")
    assert (under_two.age_min_months, under_two.age_max_months) == (0, 23)
    assert TargetGroup.objects.get(code="adolescent_girl").sex == TargetGroup.Sex.FEMALE
