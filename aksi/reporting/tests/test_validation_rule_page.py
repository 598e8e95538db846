from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aksi.catalogue.models import IndicatorCatalogue
from aksi.core.models import AuditEvent
from aksi.reporting import services
from aksi.reporting.models import ValidationRule

URL = "/entry/rules/2025/"

FORM = {
    "code": "severe-within-wasted",
    "left": "BL-04.numerator",
    "operator": "<=",
    "right": "BL-03.numerator",
    "severity": "error",
    "message": "Balita gizi buruk melebihi gizi kurang.",
    "is_active": "on",
}


def test_the_url_is_the_rules_page() -> None:
    assert reverse("reporting:rules", args=[2025]) == URL


def test_a_central_admin_adds_a_rule_with_an_audit_row(client: Any, central_admin: Any) -> None:
    client.force_login(central_admin)
    response = client.post(URL, FORM)
    assert response.status_code == 302
    rule = ValidationRule.objects.get()
    assert (rule.code, rule.operator, rule.severity, rule.updated_by) == (
        "severe-within-wasted",
        "<=",
        "error",
        central_admin,
    )
    event = AuditEvent.objects.get(event_type=services.VALIDATION_RULE_SAVED)
    assert event.data["after"]["left"] == "BL-04.numerator"
    assert event.data["before"] is None


def test_a_central_admin_changes_a_rule(client: Any, central_admin: Any) -> None:
    client.force_login(central_admin)
    client.post(URL, FORM)
    rule = ValidationRule.objects.get()
    client.post(URL, {**FORM, "rule": rule.pk, "severity": "warning", "is_active": ""})
    rule.refresh_from_db()
    assert (rule.severity, rule.is_active) == ("warning", False)
    assert ValidationRule.objects.count() == 1


def test_a_bad_expression_is_named_on_its_field(
    client: Any, central_admin: Any, english: Any
) -> None:
    client.force_login(central_admin)
    response = client.post(URL, {**FORM, "left": "BL-04.numerator * 2"})
    assert response.status_code == 200
    assert response.context["form"].errors["left"]
    assert not ValidationRule.objects.exists()


def test_others_read_the_rules_but_cannot_change_them(
    client: Any, district_operator: Any, django_assert_max_num_queries: Any
) -> None:
    ValidationRule.objects.create(
        catalogue=IndicatorCatalogue.objects.get(year=2025),
        code="r1",
        left="BL-04.numerator",
        operator="<=",
        right="BL-03.numerator",
        message="m",
    )
    client.force_login(district_operator)
    # session, user, catalogue, rules, assignments (may edit?), indicator codes, target groups
    # and the indicators' groups, session save (savepoint: 3)
    with django_assert_max_num_queries(11):
        response = client.get(URL)
    assert response.status_code == 200
    assert "BL-04.numerator" in response.content.decode()
    assert 'name="left"' not in response.content.decode()
    assert client.post(URL, FORM).status_code == 403
    with pytest.raises(PermissionDenied):
        services.validation_rule_save(
            actor=district_operator,
            catalogue=IndicatorCatalogue.objects.get(year=2025),
            **{k: v for k, v in FORM.items() if k != "is_active"},
        )
