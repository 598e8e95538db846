from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.reporting.models import CoverageValue

DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def _cell_url(code: str = "BL-01", desa: str = DESA) -> str:
    indicator = Indicator.objects.get(catalogue__year=2025, code=code)
    return reverse("reporting:cell", args=["2025", desa, indicator.pk])


def test_the_grid_lists_every_village_in_constant_queries(
    client: Client, operator: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(operator)
    # session, user, assignments, subdistrict, year+catalogue, indicators, villages, values,
    # target-group counts (denominator prefill), the kab/kota's subdistrict-entry switch,
    # the kecamatan's submission (lock), session save
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reporting:grid", args=["2025", "35.19.01"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<th scope="row">') == len(response.context["rows"]) > 5
    assert "BL-01" in body
    assert "RT-04" not in body  # kab/kota-level indicator: hidden from village forms


def test_a_cell_saves_and_shows_its_coverage(client: Client, operator: User) -> None:
    client.force_login(operator)
    response = client.post(
        _cell_url(),
        {"numerator": "1.020", "denominator": "1.200", "version": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "state-saved" in response.content.decode()
    assert "85,0%" in response.content.decode()
    assert CoverageValue.objects.get().numerator == 1020


def test_a_fraction_is_refused_and_the_typed_text_is_kept(client: Client, operator: User) -> None:
    client.force_login(operator)
    response = client.post(_cell_url(), {"numerator": "1,5", "denominator": "10"})
    body = response.content.decode()
    assert "state-invalid" in body
    assert "bilangan bulat" in body  # "a count is a whole number" in Indonesian, the default
    assert 'name="numerator"' not in body  # the typed text stays in the browser to correct
    assert not CoverageValue.objects.exists()


def test_a_stale_form_gets_a_conflict_showing_the_other_value(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    client.post(_cell_url(), {"numerator": "10", "denominator": "20", "version": ""})
    colleague = user_with_role("op2", Role.OPERATOR, "35.19.01")
    other = Client()
    other.force_login(colleague)
    other.post(_cell_url(), {"numerator": "12", "denominator": "20", "version": "1"})
    response = client.post(_cell_url(), {"numerator": "11", "denominator": "20", "version": "1"})
    body = response.content.decode()
    assert "state-conflict" in body
    assert "12/20" in body
    assert 'value="12" hx-swap-oob="true"' in body  # the form now shows their value
    assert CoverageValue.objects.get().numerator == 12


def test_a_village_outside_the_scope_is_refused(client: Client, operator: User) -> None:
    client.force_login(operator)
    response = client.post(_cell_url(desa="35.19.02.2001"), {"numerator": "1", "denominator": "2"})
    assert response.status_code == 403
    assert not CoverageValue.objects.exists()
    assert client.get(reverse("reporting:grid", args=["2025", "35.19.02"])).status_code == 404


def test_the_grid_travels_compressed(client: Any, db: None) -> None:
    """A kecamatan's grid is mostly repeated cell markup: gzip makes it small on the wire."""
    import gzip

    from aksi.accounts.models import Role
    from aksi.accounts.tests.factories import user_with_role

    client.force_login(user_with_role("op_gzip", Role.OPERATOR, "35.19.01"))
    response = client.get("/entry/2025/35.19.01/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.content)
    assert b"entry-grid" in body
    assert len(response.content) * 5 < len(body)
