"""The scorecard legend: bands of achievement relative to the national target, from a data file.

Why a data file and not a model: the bands are national reference data like the indicator
catalogue (which also ships as data files), they must be identical on every installation and in
every export, and they change rarely and by decision of the centre — a reviewed edit to
`data/legend.toml` (or a file named by the AKSI_SCORECARD_LEGEND setting) records who changed
what in version control, costs no query on any page and needs no migration. Pages, XLSX and PDF
read the same definition; the page's colours come from a stylesheet generated from it
(`legend.css`), since the Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from aksi.catalogue.models import Indicator

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "legend.toml"


@dataclass(frozen=True)
class Band:
    key: str
    min_achievement: float | None  # None: the no-target and no-data bands
    background: str
    text: str
    labels: dict[str, str]

    @property
    def label(self) -> str:
        language = (get_language() or "id").split("-")[0]
        return self.labels.get(language) or self.labels.get("id") or self.key

    @property
    def css_class(self) -> str:
        return f"band-{self.key}"


@dataclass(frozen=True)
class Legend:
    bands: tuple[Band, ...]  # highest first
    no_target: Band
    no_data: Band

    @property
    def all_bands(self) -> tuple[Band, ...]:
        return (*self.bands, self.no_target, self.no_data)

    def band_for(self, *, indicator: Indicator, coverage: float | None) -> Band:
        if coverage is None:
            return self.no_data
        ratio = achievement(indicator=indicator, coverage=coverage)
        if ratio is None:
            return self.no_target
        for band in self.bands:
            if ratio >= (band.min_achievement or 0.0):
                return band
        return self.bands[-1]

    def css(self) -> str:
        rules = [
            f".{b.css_class} {{ background: {b.background}; color: {b.text}; }}"
            for b in self.all_bands
        ]
        rules += [
            f".swatch.{b.css_class} {{ border: 1px solid {b.text}; }}" for b in self.all_bands
        ]
        return "\n".join(rules) + "\n"


def achievement(*, indicator: Indicator, coverage: float) -> float | None:
    """Coverage as a share of the national target (direction-aware); None without a target."""
    if indicator.national_target is None:
        return None
    target = float(indicator.national_target)
    if indicator.direction == Indicator.Direction.LOWER:
        if coverage <= 0:
            return float("inf")
        return target / coverage
    if target <= 0:
        return float("inf")
    return coverage / target


def _band(raw: dict, *, with_minimum: bool) -> Band:
    labels = raw.get("label") or {}
    return Band(
        key=str(raw["key"]),
        min_achievement=float(raw["min_achievement"]) if with_minimum else None,
        background=str(raw["background"]),
        text=str(raw["text"]),
        labels={str(k): str(v) for k, v in labels.items()},
    )


@functools.cache
def _load(path: str) -> Legend:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    bands = sorted(
        (_band(raw, with_minimum=True) for raw in data["bands"]),
        key=lambda b: b.min_achievement or 0.0,
        reverse=True,
    )
    if not bands:
        raise ValueError(f"{path}: a legend needs at least one band")
    return Legend(
        bands=tuple(bands),
        no_target=_band(data["no_target"], with_minimum=False),
        no_data=_band(data["no_data"], with_minimum=False),
    )


def legend() -> Legend:
    """The configured legend (read once per process)."""
    return _load(str(getattr(settings, "AKSI_SCORECARD_LEGEND", "") or DEFAULT_FILE))
