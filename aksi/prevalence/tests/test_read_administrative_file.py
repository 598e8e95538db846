from __future__ import annotations

from django.utils import translation

from aksi.prevalence.readers import AdministrativeRow, read_administrative_file
from aksi.prevalence.tests.helpers import ADMIN_HEADER, csv_bytes, xlsx_bytes


def _errors(result: object) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in result.errors]  # type: ignore[attr-defined]


def test_it_reads_typed_rows_from_csv() -> None:
    result = read_administrative_file(
        csv_bytes(
            ADMIN_HEADER, "3519012001,202408,300,250,20,5", "35.19.01.2002,2024S2,,1.234,9,0"
        ),
        name="eppgbm.csv",
    )
    assert result.errors == []
    assert result.rows == [
        AdministrativeRow(2, "35.19.01.2001", "202408", 300, 250, 20, 5),
        AdministrativeRow(3, "35.19.01.2002", "2024S2", None, 1234, 9, 0),
    ]


def test_it_reads_the_same_layout_from_xlsx_with_year_and_month_columns() -> None:
    upload = xlsx_bytes(
        [
            ["Kode Desa", "Tahun", "Bulan", "Balita Diukur", "Pendek", "Sangat Pendek"],
            ["35.19.01.2001", 2025, 2, 120, 10, 3],
        ]
    )
    result = read_administrative_file(upload, name="eppgbm.xlsx")
    assert result.errors == []
    assert result.rows == [AdministrativeRow(2, "35.19.01.2001", "202502", None, 120, 10, 3)]


def test_it_refuses_pendek_above_measured_row_by_row() -> None:
    with translation.override("en"):
        result = read_administrative_file(
            csv_bytes(
                ADMIN_HEADER,
                "35.19.01.2001,202408,,10,11,0",  # pendek > measured
                "35.19.01.2002,202408,,10,2,3",  # fine
                "35.19.01.2003,202408,,10,0,12",  # sangat pendek > measured
                "35.19.01.2004,202408,,10,6,5",  # together more than measured
            ),
            name="f.csv",
        )
    assert [r.row for r in result.rows] == [3]
    assert _errors(result) == [(2, "pendek"), (4, "sangat_pendek"), (5, "pendek")]
    assert result.errors[0].reason == "11 is more than the 10 children measured"
    assert "pendek and sangat pendek do not overlap" in result.errors[2].reason


def test_it_lists_every_problem_with_its_row_and_column() -> None:
    result = read_administrative_file(
        csv_bytes(
            ADMIN_HEADER,
            "35.19.01,202408,,10,1,0",  # a kecamatan, not a desa
            "35.19.01.2001,2024-08,,10,1,0",  # not a period
            "35.19.01.2002,202408,,,1,0",  # measured missing
            '35.19.01.2003,202408,,"1,5",0,0',  # comma decimal in a count
            "35.19.01.2004,202408,,-3,0,0",  # negative
        ),
        name="f.csv",
    )
    assert result.rows == []
    assert _errors(result) == [
        (2, "kode_wilayah"),
        (3, "periode"),
        (4, "balita_diukur"),
        (5, "balita_diukur"),
        (6, "balita_diukur"),
    ]


def test_it_refuses_the_same_desa_and_period_twice() -> None:
    result = read_administrative_file(
        csv_bytes(ADMIN_HEADER, "35.19.01.2001,202408,,10,1,0", "3519012001,202408,,12,1,0"),
        name="f.csv",
    )
    assert [r.row for r in result.rows] == [2]
    assert _errors(result) == [(3, "kode_wilayah")]


def test_it_names_a_missing_column_and_reads_no_row() -> None:
    result = read_administrative_file(
        csv_bytes("kode_wilayah,periode,balita_diukur,pendek", "35.19.01.2001,202408,10,1"),
        name="f.csv",
    )
    assert result.rows == []
    assert _errors(result) == [(1, "sangat_pendek")]


def test_it_refuses_a_file_that_is_not_a_table() -> None:
    result = read_administrative_file(csv_bytes(ADMIN_HEADER), name="f.pdf")
    assert result.rows == []
    assert _errors(result) == [(0, "")]
