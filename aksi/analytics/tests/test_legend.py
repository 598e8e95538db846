from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from aksi.analytics.legend import legend
from aksi.catalogue.models import Indicator


def _indicator(target: str | None, direction: str = Indicator.Direction.HIGHER) -> Indicator:
    return Indicator(
        code="X-01", national_target=Decimal(target) if target else None, direction=direction
    )


def test_it_bands_coverage_by_its_share_of_the_national_target() -> None:
    bands = legend()
    ninety = _indicator("90")
    assert bands.band_for(indicator=ninety, coverage=95.0).key == "achieved"
    assert bands.band_for(indicator=ninety, coverage=90.0).key == "achieved"
    assert bands.band_for(indicator=ninety, coverage=80.0).key == "near"  # 0.89
    assert bands.band_for(indicator=ninety, coverage=60.0).key == "below"  # 0.67
    assert bands.band_for(indicator=ninety, coverage=10.0).key == "far"
    assert bands.band_for(indicator=ninety, coverage=None).key == "no-data"
    assert bands.band_for(indicator=_indicator(None), coverage=50.0).key == "no-target"


def test_for_lower_is_better_indicators_less_is_the_achievement() -> None:
    bands = legend()
    at_most_ten = _indicator("10", Indicator.Direction.LOWER)
    assert bands.band_for(indicator=at_most_ten, coverage=8.0).key == "achieved"
    assert bands.band_for(indicator=at_most_ten, coverage=0.0).key == "achieved"
    assert bands.band_for(indicator=at_most_ten, coverage=11.0).key == "near"  # 0.91
    assert bands.band_for(indicator=at_most_ten, coverage=40.0).key == "far"


def test_the_bands_come_from_a_configurable_file(settings: Any, tmp_path: Path) -> None:
    path = tmp_path / "legend.toml"
    path.write_text(
        '[[bands]]\nkey = "ok"\nmin_achievement = 0.5\nbackground = "#00ff00"\ntext = "#000000"\n'
        'label = { id = "Cukup", en = "Enough" }\n'
        '[[bands]]\nkey = "bad"\nmin_achievement = 0\nbackground = "#ff0000"\ntext = "#ffffff"\n'
        'label = { id = "Kurang", en = "Too little" }\n'
        '[no_target]\nkey = "nt"\nbackground = "#eeeeee"\ntext = "#000000"\nlabel = { id = "-" }\n'
        '[no_data]\nkey = "nd"\nbackground = "#ffffff"\ntext = "#000000"\nlabel = { id = "-" }\n'
    )
    settings.AKSI_SCORECARD_LEGEND = str(path)
    bands = legend()
    assert [b.key for b in bands.bands] == ["ok", "bad"]
    assert bands.band_for(indicator=_indicator("90"), coverage=50.0).key == "ok"
    assert ".band-bad { background: #ff0000; color: #ffffff; }" in bands.css()


def test_the_stylesheet_of_the_legend_is_served(client: Any) -> None:
    response = client.get("/analytics/legend.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert ".band-achieved { background: #1a7f37;" in response.content.decode()
