from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from aksi.accounts.models import User
from aksi.analytics.tests.conftest import SaveValue
from aksi.regions.models import Region


def test_the_yearly_report_of_a_region_is_a_pdf_with_its_name_and_figures(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    response = client.get("/analytics/35.19/report.pdf?period=S1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="aksi-35.19-2025.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "MADIUN" in text.upper()
    assert "BL-01" in text
    assert "80,0%" in text  # the yearly figure, whatever semester the page showed
    kecamatan = Region.objects.get(code="35.19.01").name
    assert kecamatan.upper() in text.upper()  # the ranked kecamatan


def test_the_report_is_scoped_like_the_dashboard(client: Any, outsider: User) -> None:
    client.force_login(outsider)
    assert client.get("/analytics/35.19/report.pdf").status_code == 403


def test_the_report_keeps_a_query_budget(
    client: Any, central_admin: User, save_value: SaveValue, django_assert_max_num_queries: Any
) -> None:
    save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    # the dashboard's reads, the scorecard's and the map's: constant, not per region
    with django_assert_max_num_queries(40):
        response = client.get("/analytics/report.pdf")
    assert response.status_code == 200
