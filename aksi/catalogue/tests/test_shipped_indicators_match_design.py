"""The shipped catalogue keeps the design list (DOMAIN §5.2) word for word."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aksi.catalogue.datafiles import DATA_DIR, read_data

DESIGN_CSV = Path(__file__).resolve().parents[3] / ".." / "shared" / "design" / "indikator_2025.csv"


@pytest.fixture
def design_rows() -> list[dict[str, str]]:
    if not DESIGN_CSV.is_file():
        pytest.skip(f"The design list {DESIGN_CSV} is not available in this checkout.")
    with DESIGN_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _shipped_rows() -> list[dict[str, str]]:
    text = (DATA_DIR / "indicators_2025.csv").read_text(encoding="utf-8")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    return list(csv.DictReader(body.splitlines()))


def test_every_shipped_indicator_matches_the_design_list(
    design_rows: list[dict[str, str]],
) -> None:
    shipped = _shipped_rows()
    assert [r["kode"] for r in shipped] == [r["kode"] for r in design_rows]
    assert [r["nama"] for r in shipped] == [r["nama"] for r in design_rows]
    for design, ours in zip(design_rows, shipped, strict=True):
        for column, value in design.items():
            assert ours[column] == value, f"{design['kode']} {column}"


def test_the_shipped_files_read_without_problems() -> None:
    data = read_data(DATA_DIR)
    assert [c.year for c in data.catalogues] == [2025]
    assert len(data.catalogues[0].indicators) == 31
