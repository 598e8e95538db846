from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from aksi.core.models import AuditEvent
from aksi.prevalence.models import AdministrativeCount, SurveyPrevalence
from aksi.prevalence.tests.helpers import ADMIN_HEADER, DESA_A, DESA_B

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "eppgbm.csv"
    path.write_text("\n".join([ADMIN_HEADER, *lines]) + "\n")
    return path


def test_load_reads_the_shipped_published_figures_once() -> None:
    call_command("prevalence", "load", verbosity=0)
    assert SurveyPrevalence.objects.filter(region__isnull=True).count() == 4
    assert SurveyPrevalence.objects.filter(region__isnull=False).count() == 105
    ntb_2023 = SurveyPrevalence.objects.get(region_id="52", year=2023)
    assert (ntb_2023.source, str(ntb_2023.prevalence)) == ("ski", "24.6")
    events = AuditEvent.objects.filter(event_type="prevalence.imported").count()
    call_command("prevalence", "load", verbosity=0)
    assert AuditEvent.objects.filter(event_type="prevalence.imported").count() == events


def test_import_dry_run_lists_every_row_error_and_saves_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path, f"{DESA_A},202408,,10,11,0", f"{DESA_B},2024-8,,10,1,0")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "prevalence", "import", str(path), "--kind", "administrative", "--dry-run", stderr=err
        )
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 2, pendek: ")
    assert lines[1].startswith("row 3, periode: ")
    assert AdministrativeCount.objects.count() == 0


def test_import_applies_a_clean_file(tmp_path: Path) -> None:
    path = _file(tmp_path, f"{DESA_A},202408,,10,1,0", f"{DESA_B},202408,,12,1,1")
    out = StringIO()
    call_command("prevalence", "import", str(path), "--kind", "administrative", stdout=out)
    assert AdministrativeCount.objects.count() == 2
    event = AuditEvent.objects.get(event_type="prevalence.imported")
    assert event.actor is None
    assert event.actor_label == "aksi prevalence import"


def test_import_with_an_error_saves_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path, f"{DESA_A},202408,,10,1,0", f"{DESA_B},202408,,12,13,0")
    with pytest.raises(CommandError):
        call_command(
            "prevalence", "import", str(path), "--kind", "administrative", stderr=StringIO()
        )
    assert AdministrativeCount.objects.count() == 0
