"""Downloads: the PDF report of a region (opened, checked for the region's name) and the
tables as XLSX (opened, numbers checked) and CSV (machine format)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def test_the_pdf_report_of_a_region_downloads_and_names_the_region(
    signed_in: Callable[[str], Page], tmp_path: Path
) -> None:
    page = signed_in("mataram.verifikator")
    page.goto("/analytics/52.71/")
    with page.expect_download() as download:
        page.locator("nav.page-tabs a[href*='report.pdf']").click()
    assert download.value.suggested_filename == "aksi-52.71-2025.pdf"
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Kota Mataram" in text
    assert "Ampenan" in text  # the kecamatan table
    assert "BL-01" in text  # the coverage table
    assert "%" in text


def test_the_coverage_table_downloads_as_xlsx_and_csv(
    signed_in: Callable[[str], Page], tmp_path: Path
) -> None:
    page = signed_in("mataram.verifikator")
    page.goto("/analytics/52.71/")
    downloads = page.locator("p.downloads").first
    with page.expect_download() as xlsx:
        downloads.get_by_role("link", name="XLSX").click()
    assert xlsx.value.suggested_filename == "aksi-coverage-52.71-2025.xlsx"
    xlsx_path = tmp_path / "coverage.xlsx"
    xlsx.value.save_as(xlsx_path)
    sheet = load_workbook(xlsx_path).worksheets[0]
    assert "Kota Mataram" in sheet["A1"].value
    header = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Kode")
    rows = {
        sheet.cell(r, 1).value: r
        for r in range(header + 1, sheet.max_row + 1)
        if sheet.cell(r, 1).value
    }
    bl01 = rows["BL-01"]
    numerator, denominator, coverage = (sheet.cell(bl01, c) for c in (4, 5, 6))
    assert isinstance(numerator.value, int)
    assert numerator.number_format == "#,##0"
    assert isinstance(denominator.value, int)
    assert denominator.value >= numerator.value
    assert coverage.number_format == "0.0%"
    assert abs(coverage.value - numerator.value / denominator.value) < 0.001

    with page.expect_download() as csv_download:
        downloads.get_by_role("link", name="CSV").click()
    csv_path = tmp_path / "coverage.csv"
    csv_download.value.save_as(csv_path)
    with csv_path.open(encoding="utf-8") as handle:
        by_code = {row["indicator_code"]: row for row in csv.DictReader(handle)}
    assert int(by_code["BL-01"]["numerator"]) == numerator.value  # plain digits
    assert by_code["BL-01"]["coverage_percent"] == f"{round(coverage.value * 100, 1)}"
