"""Who reads which documents: the own region, everything below it, the regions above it; never
a sibling or another province. And the register's filters."""

from __future__ import annotations

import pytest
from django.http import Http404

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.documents import selectors
from aksi.documents.models import Document, DocumentKind, DocumentSubtype

from .factories import add_document


@pytest.fixture
def register(
    district_admin: User, kebonsari_operator: User, geger_operator: User
) -> dict[str, Document]:
    """A Pergub of Jawa Timur, a Perbup of Madiun, minutes of Kebonsari and of Geger, and a
    Perbup of Kab. Ponorogo (35.02), another kab/kota of the province."""
    province_admin = user_with_role("admin_jatim", Role.REGION_ADMIN, "35")
    ponorogo_admin = user_with_role("admin_ponorogo", Role.REGION_ADMIN, "35.02")
    minutes = {"kind": DocumentKind.MINUTES, "subtype": DocumentSubtype.MEETING_MINUTES}
    return {
        "pergub": add_document(province_admin, region="35", title="Pergub Jatim", year=2024),
        "perbup": add_document(district_admin, title="Perbup Madiun"),
        "kebonsari": add_document(
            kebonsari_operator, region="35.19.01", title="BA Kebonsari", number="", **minutes
        ),
        "geger": add_document(
            geger_operator, region="35.19.02", title="BA Geger", number="", **minutes
        ),
        "ponorogo": add_document(ponorogo_admin, region="35.02", title="Perbup Ponorogo"),
    }


def _titles(user: User, **filters: object) -> set[str]:
    return {d.title for d in selectors.document_list(user=user, **filters)}


@pytest.mark.usefixtures("register")
def test_a_kecamatan_reads_its_own_and_the_regions_above_not_its_sibling(
    kebonsari_operator: User,
) -> None:
    assert _titles(kebonsari_operator) == {"Pergub Jatim", "Perbup Madiun", "BA Kebonsari"}


@pytest.mark.usefixtures("register")
def test_a_kab_kota_reads_its_kecamatan_and_its_province_not_another_kab(
    district_admin: User,
) -> None:
    assert _titles(district_admin) == {"Pergub Jatim", "Perbup Madiun", "BA Kebonsari", "BA Geger"}


@pytest.mark.usefixtures("register")
def test_the_province_and_the_centre_read_everything_below_them(
    province_reviewer: User, monitor: User
) -> None:
    everything = {"Pergub Jatim", "Perbup Madiun", "BA Kebonsari", "BA Geger", "Perbup Ponorogo"}
    assert _titles(province_reviewer) == everything
    assert _titles(monitor) == everything


def test_an_outsider_reads_nothing(register: dict[str, Document], outsider: User) -> None:
    assert _titles(outsider) == set()
    with pytest.raises(Http404):
        selectors.document_get(user=outsider, pk=register["perbup"].pk)
    assert selectors.document_filter_regions(user=outsider) == []


def test_an_account_without_a_role_reads_nothing(register: dict[str, Document]) -> None:
    nobody = User.objects.create_user(username="tanpa_peran", password="x")
    assert _titles(nobody) == set()


@pytest.mark.usefixtures("register")
def test_the_filters_narrow_the_register(province_reviewer: User) -> None:
    assert _titles(province_reviewer, region_code="35.19") == {
        "Perbup Madiun",
        "BA Kebonsari",
        "BA Geger",
    }
    assert _titles(province_reviewer, region_code="35.19.02") == {"BA Geger"}
    assert _titles(province_reviewer, year=2024) == {"Pergub Jatim"}
    assert _titles(province_reviewer, kind=DocumentKind.MINUTES) == {"BA Kebonsari", "BA Geger"}
    assert _titles(province_reviewer, q="ponorogo") == {"Perbup Ponorogo"}
    assert _titles(province_reviewer, region_code="not a code") == set()


def test_the_region_filter_offers_regions_with_documents_and_those_above(
    register: dict[str, Document], kebonsari_operator: User
) -> None:
    codes = [r.code for r in selectors.document_filter_regions(user=kebonsari_operator)]
    assert codes == ["35", "35.19", "35.19.01"]


def test_document_region_visibility(kebonsari_operator: User) -> None:
    visible = selectors.document_region_visible
    assert visible(user=kebonsari_operator, code="35.19.01")
    assert visible(user=kebonsari_operator, code="35.19.01.2001")
    assert visible(user=kebonsari_operator, code="35.19")
    assert visible(user=kebonsari_operator, code="35")
    assert not visible(user=kebonsari_operator, code="35.19.02")
    assert not visible(user=kebonsari_operator, code="35.02")
    assert not visible(user=kebonsari_operator, code="11")


def test_writers_file_in_their_entry_scope_only(
    district_admin: User, province_reviewer: User
) -> None:
    groups = selectors.writable_regions(user=district_admin)
    codes = [r.code for g in groups for r in g.regions]
    assert codes[0] == "35.19"
    assert all(c == "35.19" or c.startswith("35.19.") for c in codes)
    assert all(c.count(".") <= 2 for c in codes)  # no desa
    assert len(codes) == 1 + 15  # Kab. Madiun and its 15 kecamatan
    assert selectors.writable_regions(user=province_reviewer) == []
