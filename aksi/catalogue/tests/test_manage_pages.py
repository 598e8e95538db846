from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.catalogue.models import Indicator, IndicatorCatalogue, ReportingYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, central_admin: User) -> Client:
    client.force_login(central_admin)
    return client


def _edit_data(indicator: Indicator, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": indicator.name,
        "target_group": indicator.target_group_id,
        "target_group_label": indicator.target_group_label,
        "intervention_type": indicator.intervention_type,
        "indicator_class": indicator.indicator_class,
        "sectors": indicator.sectors,
        "certainty": indicator.certainty,
        "national_target": ""
        if indicator.national_target is None
        else str(indicator.national_target).replace(".", ","),
        "target_year": indicator.target_year or "",
        "target_note": indicator.target_note,
        "direction": indicator.direction,
        "numerator_definition": indicator.numerator_definition,
        "denominator_definition": indicator.denominator_definition,
        "denominator_source": indicator.denominator_source,
        "entry_level": indicator.entry_level,
        "pillars": [p.pk for p in indicator.pillars.all()],
        "help_text": indicator.help_text,
    }
    if indicator.is_binary:
        data["is_binary"] = "on"
    data.update(changes)
    return data


def test_the_manage_page_lists_versions_with_counts(admin_client: Client) -> None:
    response = admin_client.get(reverse("catalogue:manage"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Katalog indikator 2025" in html
    assert response.context["copy_form"].initial["year"] == 2026


def test_an_admin_copies_edits_and_publishes_through_the_pages(admin_client: Client) -> None:
    source = IndicatorCatalogue.objects.get(year=2025)
    response = admin_client.post(reverse("catalogue:copy"), {"source": source.year, "year": 2026})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:manage_catalogue", args=[2026])
    copy = IndicatorCatalogue.objects.get(year=2026)
    assert ReportingYear.objects.get(year=2026).catalogue == copy

    indicator = copy.indicators.get(code="KL-01")
    url = reverse("catalogue:indicator_edit", args=[2026, "KL-01"])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _edit_data(indicator, national_target="12,5"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert str(indicator.national_target) == "12.50"
    assert source.indicators.get(code="KL-01").national_target == 15.5

    response = admin_client.post(reverse("catalogue:publish", args=[2026]))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == IndicatorCatalogue.Status.PUBLISHED


def test_the_edit_form_names_the_field_of_a_bad_value(
    admin_client: Client, draft_2026: IndicatorCatalogue
) -> None:
    indicator = draft_2026.indicators.get(code="RP-02")
    url = reverse("catalogue:indicator_edit", args=[2026, "RP-02"])
    response = admin_client.post(url, _edit_data(indicator, national_target="banyak", sectors=[]))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"national_target", "sectors"}
    html = response.content.decode()
    assert 'href="#id_national_target"' in html
    indicator.refresh_from_db()
    assert indicator.national_target == 58


def test_the_copy_form_names_the_year_already_taken(
    admin_client: Client, draft_2026: IndicatorCatalogue
) -> None:
    source = IndicatorCatalogue.objects.get(year=2025)
    response = admin_client.post(reverse("catalogue:copy"), {"source": source.year, "year": 2026})
    assert response.status_code == 200
    assert "year" in response.context["copy_form"].errors


def test_editing_a_published_catalogue_shows_a_message_and_changes_nothing(
    admin_client: Client,
) -> None:
    indicator = Indicator.objects.get(catalogue__year=2025, code="RP-02")
    url = reverse("catalogue:indicator_edit", args=[2025, "RP-02"])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["editable"] is False
    response = admin_client.post(url, _edit_data(indicator, name="Diubah"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    indicator.refresh_from_db()
    assert indicator.name != "Diubah"


def test_publishing_twice_shows_an_error_message(admin_client: Client) -> None:
    response = admin_client.post(reverse("catalogue:publish", args=[2025]), follow=True)
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["error"]


def test_the_manage_pages_use_constant_queries(
    admin_client: Client, draft_2026: IndicatorCatalogue, django_assert_max_num_queries: Any
) -> None:
    # session, user, roles; versions with counts; the years using them; recent audit events
    # with actors; saving the session (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST)
    with django_assert_max_num_queries(9):
        assert admin_client.get(reverse("catalogue:manage")).status_code == 200
    # session, user, roles; the version; its indicators with target groups; their pillars;
    # saving the session (3)
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse("catalogue:manage_catalogue", args=[2026]))
    assert response.status_code == 200
