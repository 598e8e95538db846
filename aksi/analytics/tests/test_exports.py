from __future__ import annotations

import csv
import io
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from aksi.accounts.models import User
from aksi.analytics import scorecard, selectors
from aksi.analytics.tests.conftest import SaveValue
from aksi.regions.models import Level, Region


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_body(response).decode())))


def _sheet(response: Any) -> Any:
    return load_workbook(io.BytesIO(_body(response))).worksheets[0]


def _header_row(sheet: Any) -> int:
    # Title, data time, notes, a blank row, then the header ("Kode", or "Code" in English).
    return next(r for r in range(1, 12) if sheet.cell(r, 1).value in ("Kode", "Code"))


def test_the_coverage_table_downloads_as_machine_csv(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 1234, 2000)
    client.force_login(central_admin)
    response = client.get("/analytics/35/export/coverage.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="aksi-coverage-35-2025.csv"' in response["Content-Disposition"]
    assert response["Last-Modified"].endswith(" GMT")  # the data time
    rows = {row["indicator_code"]: row for row in _csv(response)}
    # Machine format: no thousands separator, a point for decimals, empty for no value.
    assert rows["BL-01"]["numerator"] == "1234"
    assert rows["BL-01"]["denominator"] == "2000"
    assert rows["BL-01"]["coverage_percent"] == "61.7"
    assert rows["BL-01"]["national_target_percent"] == "90.0"
    assert rows["BL-01"]["band"] == "below"
    assert rows["BL-02"]["coverage_percent"] == ""


def test_the_coverage_table_downloads_as_xlsx_in_indonesian_number_format(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 1234, 2000)
    client.force_login(central_admin)
    response = client.get("/analytics/35/export/coverage.xlsx")
    assert isinstance(response, FileResponse)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _sheet(response)
    assert "Jawa Timur" in sheet.cell(1, 1).value
    header = _header_row(sheet)
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    row = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "BL-01")
    numerator = sheet.cell(row, 4)
    coverage = sheet.cell(row, 6)
    # Real numbers with locale-independent codes: Excel in Indonesian shows 1.234 and 82,3%.
    assert numerator.value == 1234
    assert numerator.number_format == "#,##0"
    assert abs(coverage.value - 0.617) < 0.0001
    assert coverage.number_format == "0.0%"
    assert coverage.fill.fgColor.rgb.endswith("FFE08A")  # the "below target" band
    assert len(columns) == 11


def test_the_regions_table_downloads_ranked(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    rows = _csv(client.get("/analytics/35/export/regions.csv?indicator=BL-01"))
    assert len(rows) == Region.objects.get(code="35").district_count
    assert rows[0]["region_code"] == "35.19"
    assert rows[0]["rank"] == "1"
    assert rows[0]["BL-01_coverage_percent"] == "80.0"
    sheet = _sheet(client.get("/analytics/35/export/regions.xlsx?indicator=BL-01"))
    header = next(r for r in range(1, 12) if sheet.cell(r, 2).value in ("Kode", "Code"))
    assert sheet.cell(header + 1, 2).value == "35.19"
    assert "Madiun" in sheet.cell(header + 1, 3).value
    assert sheet.cell(header + 1, 1).value == 1


def test_the_scorecard_downloads_with_the_change_since_the_previous_period(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 30, 50, period="2025S1")
    save_value("35.19.01.2001", 46, 50, period="2025S2")
    client.force_login(central_admin)
    rows = _csv(client.get("/analytics/35.19/export/scorecard.csv?period=S2"))
    assert rows[0]["region_code"] == "35.19"  # the region's own total first
    kecamatan = next(r for r in rows if r["region_code"] == "35.19.01")
    assert kecamatan["BL-01_coverage_percent"] == "92.0"
    assert kecamatan["BL-01_change_points"] == "32.0"


def test_every_desa_of_a_province_streams_one_kabupaten_at_a_time(
    client: Any,
    central_admin: User,
    save_value: SaveValue,
    django_assert_max_num_queries: Any,
) -> None:
    save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    response = client.get("/analytics/35/export/villages.csv")
    assert isinstance(response, StreamingHttpResponse)
    lines = iter(response.streaming_content)
    next(lines)  # the header
    # The first row costs the list of kab/kota and the first one's desa, current and previous
    # rollups: four queries, not the province's 8,000 desa.
    with django_assert_max_num_queries(4):
        first = next(lines).decode()
    assert first.startswith("35.01.")
    rest = [first.encode(), *lines]
    province = Region.objects.get(code="35")
    assert len(rest) == province.village_count
    madiun = next(line.decode() for line in rest if line.startswith(b"35.19.01.2001,"))
    assert ",80.0," in madiun


def test_village_rows_is_lazy(central_admin: User) -> None:
    indicators = selectors.catalogue_indicators(year=2025)
    rows = scorecard.village_rows(
        region=None, filters=selectors.Filters(year=2025), indicators=indicators
    )
    first = next(rows)  # the first desa of Aceh without reading the nation's 83,000
    assert first.region is not None
    assert first.region.level == Level.VILLAGE
    assert first.region.code.startswith("11.01.")


def test_the_downloads_keep_a_query_budget(
    client: Any, central_admin: User, save_value: SaveValue, django_assert_max_num_queries: Any
) -> None:
    save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    # The dashboard's reads without the action list (about 20), however many rows.
    with django_assert_max_num_queries(22):
        _body(client.get("/analytics/export/regions.xlsx?indicator=BL-01"))
    # session, user, assignments, region, years (2), indicators; children, current and
    # previous rollups, data time; session save: 12 to 14, not one per kab/kota.
    with django_assert_max_num_queries(14):
        rows = _csv(client.get("/analytics/35/export/scorecard.csv"))
    assert len(rows) == 1 + Region.objects.get(code="35").district_count
