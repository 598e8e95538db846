from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from aksi.catalogue import services
from aksi.catalogue.datafiles import CatalogueDataError
from aksi.catalogue.models import (
    Action,
    Indicator,
    IndicatorCatalogue,
    NationalTarget,
    Pillar,
    ReportingYear,
    Step,
    TargetGroup,
)
from aksi.catalogue.tests.conftest import replace_in
from aksi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CSV = "indicators_2025.csv"


def _snapshot() -> dict[str, object]:
    return {
        "indicators": list(Indicator.objects.order_by("pk").values()),
        "catalogues": list(IndicatorCatalogue.objects.order_by("pk").values()),
        "actions": Action.objects.count(),
        "steps": list(Step.objects.order_by("pk").values()),
        "pillars": list(Pillar.objects.order_by("pk").values()),
        "groups": list(TargetGroup.objects.order_by("pk").values()),
        "targets": list(NationalTarget.objects.order_by("pk").values()),
        "years": list(ReportingYear.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }


# Each case breaks one file and names the sentence parts the error must contain.
CASES = [
    pytest.param(
        CSV,
        ",kode_sasaran,",
        ",kode_sasaranx,",
        ["indicators_2025.csv", "'kode_sasaran'", "missing"],
        id="missing-column",
    ),
    pytest.param(
        CSV,
        "KL-01,Pasangan usia subur (PUS),Persentase kehamilan yang tidak diinginkan,sensitive",
        "KL-01,Pasangan usia subur (PUS),Persentase kehamilan yang tidak diinginkan,sensitif",
        ["indicators_2025.csv", "line 33", "KL-01", "'jenis'", "'sensitif'"],
        id="unknown-enum-value",
    ),
    pytest.param(
        CSV,
        "dukcapil,adolescent_girl,",
        "dukcapil,teenage_girl,",
        ["indicators_2025.csv", "line 13", "RP-01", "'kode_sasaran'", "'teenage_girl'"],
        id="unknown-target-group",
    ),
    pytest.param(
        CSV,
        "RP-02,Remaja putri,",
        "RP-01,Remaja putri,",
        ["indicators_2025.csv", "line 14", "'kode'", "'RP-01'", "already used on line 13"],
        id="duplicate-indicator-code",
    ),
    pytest.param(
        CSV,
        ",A,58,higher,",
        ",A,58%,higher,",
        ["indicators_2025.csv", "line 14", "RP-02", "'target_2024'", "not a number"],
        id="bad-number",
    ),
    pytest.param(
        CSV,
        "# status: published",
        "# status: final",
        ["indicators_2025.csv", "header", "'status'", "'final'"],
        id="bad-catalogue-status",
    ),
    pytest.param(
        "frameworks.toml",
        'code = "3d"',
        'code = "3c"',
        ["frameworks.toml", "step '3c'", "already used"],
        id="duplicate-step-code",
    ),
    pytest.param(
        "frameworks.toml",
        'levels = ["subdistrict"]',
        'levels = ["kecamatan"]',
        ["frameworks.toml", "step '3c'", "'levels'", "'kecamatan'"],
        id="unknown-level",
    ),
    pytest.param(
        "frameworks.toml",
        'kind = "supporting_action"',
        'kind = "support"',
        ["frameworks.toml", "action 'AP1'", "'kind'", "'support'"],
        id="unknown-action-kind",
    ),
    pytest.param(
        "pillars.toml",
        'code = "P5"',
        'code = "P4"',
        ["pillars.toml", "pillar 'P4'", "already used"],
        id="duplicate-pillar",
    ),
    pytest.param(
        "target_groups.toml",
        'parent = "pregnant_woman"',
        'parent = "pregnant"',
        ["target_groups.toml", "chronic_energy_deficiency", "'parent'", "'pregnant'"],
        id="unknown-parent-group",
    ),
    pytest.param(
        "targets.toml",
        "value = 18.8",
        'value = "18,8"',
        ["targets.toml", "stunting_prevalence", "2025", "'value'"],
        id="target-not-a-number",
    ),
    pytest.param(
        "targets.toml",
        'framework = "aksi6_2025"\nstatus = "open"',
        'framework = "aksi7_2025"\nstatus = "open"',
        ["targets.toml", "reporting year 2025", "'framework'", "'aksi7_2025'"],
        id="unknown-framework",
    ),
    pytest.param(
        "supporting_2025.csv",
        "DP-05,Bidan desa tersedia,health,yes_no,",
        "DP-05,Bidan desa tersedia,health,maybe,",
        ["supporting_2025.csv", "(DP-05)", "'satuan'", "'maybe'"],
        id="supporting-unknown-unit",
    ),
    pytest.param(
        "supporting_2025.csv",
        "DP-02,Jumlah posyandu aktif,",
        "DP-01,Jumlah posyandu aktif,",
        ["supporting_2025.csv", "'DP-01' is already used"],
        id="supporting-duplicate-code",
    ),
]


@pytest.mark.parametrize(("filename", "old", "new", "expected"), CASES)
def test_it_rejects_a_malformed_file_and_changes_nothing(
    data_dir: Path, filename: str, old: str, new: str, expected: list[str]
) -> None:
    before = _snapshot()
    replace_in(data_dir / filename, old, new)
    with pytest.raises(CatalogueDataError) as caught:
        services.catalogue_load(data_dir=data_dir)
    message = str(caught.value)
    for part in expected:
        assert part in message, message
    assert ". " not in message, "one sentence"
    assert message.endswith(".")
    assert _snapshot() == before


def test_the_command_reports_the_problem_as_one_line(data_dir: Path) -> None:
    replace_in(
        data_dir / CSV,
        ",A,90,higher,percent,Jumlah bayi yang",
        ",Z,90,higher,percent,Jumlah bayi yang",
    )
    with pytest.raises(
        CommandError, match=r"indicators_2025\.csv, line 28 \(BL-02\), column 'kepastian'"
    ):
        call_command("catalogue", "load", "--data-dir", str(data_dir), verbosity=0)


def test_it_names_a_missing_file(data_dir: Path) -> None:
    (data_dir / "pillars.toml").unlink()
    with pytest.raises(CatalogueDataError, match="pillars.toml is missing"):
        services.catalogue_load(data_dir=data_dir)
