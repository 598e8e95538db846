from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting import selectors
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


# --- the cell markup: ids, names, URLs, one source for the grid and the save's answer --------


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Elements(HTMLParser):
    """Every element of a page with an id: its tag, attributes and text (hidden ones too)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, Any]] = {}
        self.open: list[dict[str, Any]] = []
        self.tables: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        if tag == "table":
            self.tables.append(dict(attrs))
        if element["attrs"].get("id"):
            self.by_id[element["attrs"]["id"]] = element
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if any(element["tag"] == tag for element in self.open):
            while self.open.pop()["tag"] != tag:
                pass

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element["text"] += data


def _elements(body: str) -> _Elements:
    parser = _Elements()
    parser.feed(body)
    return parser


def _grid(client: Client) -> str:
    response = client.get(reverse("reporting:grid", args=["2025", "35.19.01"]))
    assert response.status_code == 200
    return response.content.decode()


def _name(page: _Elements, element_id: str) -> str:
    """The accessible name aria-labelledby gives an input: the texts it points at."""
    refs = page.by_id[element_id]["attrs"]["aria-labelledby"].split()
    return " ".join(page.by_id[ref]["text"].strip() for ref in refs)


def test_each_input_is_named_by_its_side_its_indicator_and_its_desa(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    page = _elements(_grid(client))
    key = "3519012001-bl-01"
    village = Region.objects.get(code=DESA).name
    assert _name(page, f"n-{key}") == f"Pembilang BL-01 {village}"
    assert _name(page, f"d-{key}") == f"Penyebut BL-01 {village}"
    assert _name(page, "n-3519012001-rt-03") == f"RT-03 (ya/tidak) {village}"
    inputs = [e for e in page.by_id.values() if e["tag"] in {"input", "select"}]
    named = [e for e in inputs if e["attrs"].get("type") != "hidden"]
    rows = len(Region.objects.filter(parent_id="35.19.01", valid_to__isnull=True))
    assert len(named) > 20 * rows  # numerators and denominators of every desa
    for element in named:  # every reference points at an element of the page
        assert all(ref in page.by_id for ref in element["attrs"]["aria-labelledby"].split())


def test_a_cell_posts_its_pair_to_its_own_url_and_swaps_its_state(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    body = _grid(client)
    page = _elements(body)
    # htmx inheritance: the table gives every form its target (the next state) and swap.
    grid = next(t for t in page.tables if "coverage-grid" in (t.get("class") or ""))
    assert (grid["hx-target"], grid["hx-swap"]) == ("next .cell-state", "outerHTML")
    form = f'<form hx-post="{_cell_url()}" hx-trigger="change" autocomplete="off">'
    assert body.count(form) == 1
    cell = body[body.index(form) :]
    cell = cell[: cell.index("</td>")]
    assert cell.index('id="n-3519012001-bl-01"') < cell.index('id="state-3519012001-bl-01"')


def test_the_answer_to_a_save_has_the_grids_markup_of_the_cell(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    client.post(_cell_url(), {"numerator": "10", "denominator": "20", "version": ""})
    colleague = user_with_role("op2", Role.OPERATOR, "35.19.01")
    other = Client()
    other.force_login(colleague)
    other.post(_cell_url(), {"numerator": "1234", "denominator": "2000", "version": "1"})
    grid = _elements(_grid(client)).by_id
    # A stale form: the answer swaps the other person's value in, out of band.
    answer = client.post(
        _cell_url(), {"numerator": "11", "denominator": "20", "version": "1"}
    ).content.decode()
    swapped = _elements(answer).by_id
    for element_id in ("version-3519012001-bl-01", "n-3519012001-bl-01", "d-3519012001-bl-01"):
        attrs = dict(swapped[element_id]["attrs"])
        assert attrs.pop("hx-swap-oob") == "true"
        assert attrs == grid[element_id]["attrs"]
    assert grid["n-3519012001-bl-01"]["attrs"]["value"] == "1234"  # unlocalised, as typed
    state = swapped["state-3519012001-bl-01"]
    assert state["attrs"]["class"] == "cell-state state-conflict"
    assert grid["state-3519012001-bl-01"]["text"] == "61,7%"
    assert "1.234/2.000" in state["text"]  # their value, localised as the template did
    assert "isian Anda tidak tersimpan" in state["text"]  # "your entry was not saved"


def test_a_yes_no_indicator_is_one_select_showing_the_saved_answer(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    url = _cell_url("RT-03")
    answer = client.post(url, {"numerator": "0", "version": ""}).content.decode()
    assert "state-saved" in answer
    body = _grid(client)
    select = body[body.index('<select name="numerator" id="n-3519012001-rt-03"') :]
    select = select[: select.index("</select>")]
    assert '<option value="0" selected>Tidak</option>' in select
    assert select.count(" selected") == 1
    assert 'id="d-3519012001-rt-03"' not in body  # no denominator for a yes/no indicator


def test_the_coverage_is_shown_as_the_template_filter_showed_it(db: None) -> None:
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    village = Region.objects.get(code=DESA)
    for language in ("id", "en"):
        with translation.override(language):
            for numerator, denominator in [(1, 3), (2, 3), (0, 7), (1, 8), (3, 2), (250_001, 2)]:
                value = CoverageValue(numerator=numerator, denominator=denominator)
                cell = selectors.grid_cell(
                    village=village, indicator=indicator, period="2025", value=value, count=None
                )
                assert cell.coverage == floatformat(value.coverage, 1)
                assert cell.version == ""  # not saved: no version to send back


def test_an_offered_count_is_the_placeholder_and_is_named_in_the_help(
    client: Client, operator: User
) -> None:
    from aksi.catalogue.models import TargetGroup
    from aksi.reporting import services

    services.target_group_count_save(
        actor=operator,
        target_group=TargetGroup.objects.get(code="child_under_five"),
        region=Region.objects.get(code=DESA),
        period="2025S2",
        count=1234,
    )
    client.force_login(operator)
    denominator = _elements(_grid(client)).by_id["d-3519012001-bl-01"]["attrs"]
    assert denominator["placeholder"] == "1234"  # as typed
    assert denominator["title"] == (
        "Penyebut; bila dibiarkan kosong memakai data sasaran: 1.234 (2025S2)"
    )
    assert denominator["value"] == ""
    other = _elements(_grid(client)).by_id["d-3519012002-bl-01"]["attrs"]
    assert "placeholder" not in other  # no count for that desa
    assert other["title"] == "Penyebut"
