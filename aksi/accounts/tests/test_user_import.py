from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from aksi.accounts import services
from aksi.accounts.models import User
from aksi.accounts.tests.factories import region_admin
from aksi.lib import tabular

HEADER = "nama,username,email,peran,kode_wilayah\n"


def _sheet(text: str) -> tabular.Sheet:
    return tabular.read_sheet(io.BytesIO(text.encode()), name="akun.csv")


def test_a_clean_sheet_previews_without_saving_then_applies_everything(db: None) -> None:
    admin = region_admin()
    sheet = _sheet(
        HEADER + "Siti,siti.k,siti@example.org,Operator,35.19.01\nBudi,budi.k,,verifier,351901\n"
    )
    preview = services.users_import(actor=admin, sheet=sheet, apply=False)
    assert preview.ok
    assert not User.objects.filter(username__in=["siti.k", "budi.k"]).exists()

    done = services.users_import(actor=admin, sheet=sheet, apply=True)
    assert done.applied
    assert all(row.password for row in done.rows)
    roles = dict(
        User.objects.filter(username__in=["siti.k", "budi.k"]).values_list(
            "username", "assignments__role"
        )
    )
    assert roles == {"siti.k": "operator", "budi.k": "verifier"}


def test_one_bad_row_creates_nothing_and_each_problem_is_named(db: None) -> None:
    admin = region_admin()
    sheet = _sheet(
        HEADER + "Siti,siti.k,siti@example.org,Operator,35.19.01\n"
        "Outside,out.k,,Operator,35.77.01\n"  # sibling kota: outside the admin's region
        "Nobody,no.k,,Juru masak,35.19.01\n"  # not a role
        "Twin,siti.k,,Operator,35.19.01\n"  # duplicate username inside the file
        "Ghost,ghost.k,,Operator,99.99\n"  # unknown region
    )
    with translation.override("en"):
        report = services.users_import(actor=admin, sheet=sheet, apply=True)
    assert not report.applied
    problems = {row.row_number: " ".join(row.errors) for row in report.rows if row.errors}
    assert set(problems) == {3, 4, 5, 6}
    assert "outside" in problems[3]
    assert "Juru masak" in problems[4]
    assert "taken" in problems[5]
    assert "99.99" in problems[6]
    assert not User.objects.filter(username__in=["siti.k", "out.k"]).exists()


def test_it_names_missing_columns(db: None) -> None:
    report = services.users_import(
        actor=region_admin(), sheet=_sheet("nama,email\nSiti,s@x.org\n"), apply=False
    )
    assert report.missing_columns == ["username", "peran", "kode_wilayah"]


def test_it_reads_an_xlsx_sheet_through_the_page(client: Client, db: None) -> None:
    admin = region_admin()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "Username", "Email", "Peran", "Kode Wilayah"])
    sheet.append(["Siti", "siti.x", "", "Operator", "35.19.01"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "akun.xlsx"
    client.force_login(admin)
    preview = client.post(reverse("accounts:user_import"), {"file": data})
    assert preview.context["report"].ok
    applied = client.post(reverse("accounts:user_import"), {"action": "apply"})
    assert applied.context["report"].applied
    assert User.objects.filter(username="siti.x").exists()


def test_it_refuses_a_file_that_is_not_a_sheet(client: Client, db: None) -> None:
    client.force_login(region_admin())
    upload = io.BytesIO(b"MZ\x90\x00 not a sheet")
    upload.name = "akun.exe"
    response = client.post(reverse("accounts:user_import"), {"file": upload})
    assert ".xlsx or .csv" in " ".join(response.context["form"].errors["file"])
