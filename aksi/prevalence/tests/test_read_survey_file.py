from __future__ import annotations

from decimal import Decimal

from aksi.prevalence.readers import SurveyRow, read_survey_file
from aksi.prevalence.tests.helpers import SURVEY_HEADER, csv_bytes


def test_it_reads_national_province_and_district_figures() -> None:
    result = read_survey_file(
        csv_bytes(
            SURVEY_HEADER,
            "ID,2024,SSGI,19.8,https://example.org/a,",
            '35,2023,ski,"17,7",,catatan',
            "3519,2022,SSGI,24.7,,",
        ),
        name="s.csv",
    )
    assert result.errors == []
    assert result.rows == [
        SurveyRow(2, "", "ssgi", 2024, Decimal("19.8"), None, "https://example.org/a", ""),
        SurveyRow(3, "35", "ski", 2023, Decimal("17.7"), None, "", "catatan"),
        SurveyRow(4, "35.19", "ssgi", 2022, Decimal("24.7"), None, "", ""),
    ]


def test_it_reads_the_shipped_layout_without_a_code_column_as_indonesia() -> None:
    result = read_survey_file(
        csv_bytes("nama,tahun,survei,prevalensi_persen", "Indonesia,2021,SSGI,24.4"), name="n.csv"
    )
    assert [(r.region_code, r.year) for r in result.rows] == [("", 2021)]


def test_it_refuses_bad_percentages_surveys_years_and_codes() -> None:
    result = read_survey_file(
        csv_bytes(
            SURVEY_HEADER,
            "35,2023,SKI,101.0,,",  # above 100
            "35,2023,SSGI,17.75,,",  # two decimals
            "35,2023,Susenas,17.7,,",  # not a stunting survey we know
            "35,23,SKI,17.7,,",  # not a year
            "35.19.01,2023,SKI,17.7,,",  # a kecamatan
            "35,2024,SKI,17.7,ftp://x,",  # not a web address
        ),
        name="s.csv",
    )
    assert result.rows == []
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "prevalensi_persen"),
        (3, "prevalensi_persen"),
        (4, "survei"),
        (5, "tahun"),
        (6, "kode_wilayah"),
        (7, "sumber_url"),
    ]
