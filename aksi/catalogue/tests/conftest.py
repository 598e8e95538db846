"""Fixtures of the catalogue tests: the shipped 2025 catalogue, a draft copy, a data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aksi.accounts.models import User
from aksi.catalogue import services
from aksi.catalogue.datafiles import DATA_DIR
from aksi.catalogue.models import IndicatorCatalogue


@pytest.fixture
def catalogue_2025(db: None) -> IndicatorCatalogue:
    return IndicatorCatalogue.objects.get(year=2025)


@pytest.fixture
def draft_2026(catalogue_2025: IndicatorCatalogue, central_admin: User) -> IndicatorCatalogue:
    return services.catalogue_copy(source=catalogue_2025, year=2026, actor=central_admin)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped data files, safe to break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
