from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator, IndicatorCatalogue, TargetGroup
from aksi.regions.models import Region
from aksi.reporting import services, validation
from aksi.reporting.models import ValidationRule, ValueStatus
from aksi.reporting.validation import Items, rule_check

DESA = "35.19.01.2001"
DESA2 = "35.19.01.2002"


def _rule(left: str, operator: str, right: str, **kw: Any) -> ValidationRule:
    return ValidationRule.objects.create(
        catalogue=IndicatorCatalogue.objects.get(year=2025),
        code=kw.pop("code", "r1"),
        left=left,
        operator=operator,
        right=right,
        severity=kw.pop("severity", ValidationRule.Severity.WARNING),
        message=kw.pop("message", "Check it."),
        **kw,
    )


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


@pytest.mark.parametrize(
    ("operator", "holds", "breaks"),
    [
        ("<=", [(4, 5), (5, 5)], [(6, 5)]),
        ("<", [(4, 5)], [(5, 5), (6, 5)]),
        ("=", [(5, 5)], [(4, 5), (6, 5)]),
        (">=", [(6, 5), (5, 5)], [(4, 5)]),
        (">", [(6, 5)], [(5, 5), (4, 5)]),
    ],
)
def test_each_operator(db: None, operator: str, holds: list, breaks: list) -> None:
    rule = _rule("BL-03.numerator", operator, "BL-04.numerator")
    for left, right in holds:
        assert rule_check(rule, Items(values={"BL-03": (left, 9), "BL-04": (right, 9)})) is None
    for left, right in breaks:
        outcome = rule_check(rule, Items(values={"BL-03": (left, 9), "BL-04": (right, 9)}))
        assert outcome is not None
        assert (outcome.left, outcome.right) == (left, right)


def test_a_rule_with_a_missing_item_is_not_evaluated(db: None) -> None:
    rule = _rule("BL-03.numerator", "<=", "BL-04.numerator")
    assert rule_check(rule, Items(values={"BL-03": (50, 60)})) is None
    assert rule_check(rule, Items(values={"BL-03": (50, 60), "BL-04": (None, 60)})) is None


def test_sums_of_target_groups_and_constants(db: None) -> None:
    rule = _rule(
        "target_group.infant_under_six_months + target_group.child_6_23_months",
        "<=",
        "target_group.child_under_two + 2",
    )
    ok = Items(
        counts={"infant_under_six_months": 30, "child_6_23_months": 60, "child_under_two": 88}
    )
    assert rule_check(rule, ok) is None
    bad = Items(
        counts={"infant_under_six_months": 30, "child_6_23_months": 61, "child_under_two": 88}
    )
    outcome = rule_check(rule, bad)
    assert outcome is not None
    assert (outcome.left, outcome.right) == (91, 90)


def _value(
    actor: User, code: str, numerator: int | None, denominator: int | None, **kw: Any
) -> Any:
    return services.coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code=code),
        region=Region.objects.get(code=kw.pop("desa", DESA)),
        period="2025",
        numerator=numerator,
        denominator=denominator,
        **kw,
    )


def test_no_data_counts_as_missing(operator: User) -> None:
    _rule("BL-03.numerator", "<=", "BL-04.numerator")
    _value(operator, "BL-03", 5, 10)
    _value(operator, "BL-04", None, None, status=ValueStatus.NO_DATA)
    assert validation.village_outcomes(village=Region.objects.get(code=DESA), period="2025") == []


def test_submission_findings_split_errors_and_warnings_naming_villages(
    operator: User, english: Any
) -> None:
    _rule(
        "BL-04.numerator",
        "<=",
        "BL-03.numerator",
        code="severe-within-wasted",
        severity=ValidationRule.Severity.ERROR,
        message="Severely wasted exceed wasted.",
    )
    _rule("BL-01.numerator", ">=", "BL-02.numerator", code="monitored", message="Odd.")
    _value(operator, "BL-03", 2, 10)
    _value(operator, "BL-04", 3, 10)
    _value(operator, "BL-03", 2, 10, desa=DESA2)
    _value(operator, "BL-04", 1, 10, desa=DESA2)
    findings = validation.submission_findings(
        region=Region.objects.get(code="35.19.01"), period="2025"
    )
    assert len(findings.errors) == 1
    assert "severe-within-wasted" in findings.errors[0]
    assert Region.objects.get(code=DESA).name in findings.errors[0]
    assert Region.objects.get(code=DESA2).name not in findings.errors[0]
    assert findings.warnings == []  # BL-01/BL-02 not filled: the warning rule is skipped


def test_an_inactive_rule_is_not_run(operator: User) -> None:
    _rule("BL-04.numerator", "<=", "BL-03.numerator", is_active=False)
    _value(operator, "BL-03", 2, 10)
    _value(operator, "BL-04", 3, 10)
    assert validation.village_outcomes(village=Region.objects.get(code=DESA), period="2025") == []


def test_unexplained_denominator_overrides_are_a_submission_warning(
    operator: User, english: Any
) -> None:
    services.target_group_count_save(
        actor=operator,
        target_group=TargetGroup.objects.get(code="child_under_five"),
        region=Region.objects.get(code=DESA),
        period="2025",
        count=200,
    )
    _value(operator, "BL-01", 100, 150)
    subdistrict = Region.objects.get(code="35.19.01")
    findings = validation.submission_findings(region=subdistrict, period="2025")
    assert findings.warnings == [
        "1 denominators differ from the target-group data by more than 10% without a comment."
    ]
    _value(operator, "BL-01", 100, 150, note="Register posyandu.", expected_version=1)
    assert validation.submission_findings(region=subdistrict, period="2025").warnings == []


def test_the_grid_shows_a_broken_rule_after_the_save(
    client: Any, operator: User, english: Any
) -> None:
    _rule(
        "BL-04.numerator",
        "<=",
        "BL-03.numerator",
        code="severe",
        severity=ValidationRule.Severity.ERROR,
        message="More severely wasted than wasted.",
    )
    _value(operator, "BL-03", 2, 10)
    client.force_login(operator)
    client.cookies["django_language"] = "en"  # the page speaks Indonesian unless chosen
    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-04")
    response = client.post(
        reverse("reporting:cell", args=["2025", DESA, indicator.pk]),
        {"numerator": "3", "denominator": "10", "version": ""},
    )
    body = response.content.decode()
    assert "state-saved" in body  # the number is kept; the rule stops the submission instead
    assert "Error severe: More severely wasted than wasted. (3 ≤ 2)" in body
