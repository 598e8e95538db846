from __future__ import annotations

from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import ValueStatus
from aksi.review import measures, services

from .conftest import save_value


def test_completeness_is_filled_cells_over_desa_times_village_indicators(
    kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    village_indicators = Indicator.objects.filter(
        catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE
    ).count()
    save_value(kecamatan_operator, desa, 80, 100)
    save_value(kecamatan_operator, desa, None, None, code="BL-02", status=ValueStatus.NO_DATA)
    save_value(kecamatan_operator, desa, None, 100, code="BL-03")  # numerator missing: not filled
    result = measures.subdistrict_completeness(subdistrict=kecamatan, period="2025")
    assert result.expected == kecamatan.village_count * village_indicators == 14 * 30
    assert result.filled == 2
    assert result.percent == round(200 / result.expected, 1)


def test_a_partial_kecamatan_submits_and_its_kab_sees_it_partial(
    client: Client,
    kecamatan: Region,
    desa: Region,
    kecamatan_operator: User,
    district_verifier: User,
) -> None:
    save_value(kecamatan_operator, desa, 80, 100)
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    assert submission.completeness["filled"] == 1  # never blocked by missing cells
    client.force_login(district_verifier)
    response = client.get(reverse("review:inbox"), {"period": "2025"})
    assert response.status_code == 200
    rows = {row.region.code: row for row in response.context["inbox"].rows}
    assert len(rows) == 15  # every kecamatan of Kab. Madiun, whatever its state
    assert rows["35.19.01"].status == "submitted"
    assert 0 < rows["35.19.01"].completeness < 1
    assert rows["35.19.02"].status == "missing"
    assert rows["35.19.02"].completeness == 0
    # The kab verifies this one without waiting for the other fourteen.
    services.submission_verify(submission=submission, actor=district_verifier)
