from __future__ import annotations

from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.regions.models import Region
from aksi.review import services
from aksi.review.models import Submission

from .conftest import save_value


def test_the_submit_panel_shows_status_and_submits_through_htmx(
    client: Client, kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    save_value(kecamatan_operator, desa, 80, 100)
    client.force_login(kecamatan_operator)
    url = reverse("review:submit", args=["2025", kecamatan.code])
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="submit-panel"' in body
    assert "<html" not in body
    assert "1 dari 420" in body or "1 of 420" in body
    response = client.post(url, {"note": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert 'name="note"' not in response.content.decode()  # nothing more to submit


def test_the_submit_panel_keeps_the_warning_and_the_typed_text_on_error(
    client: Client, kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    save_value(kecamatan_operator, desa, 130, 100)
    client.force_login(kecamatan_operator)
    url = reverse("review:submit", args=["2025", kecamatan.code])
    response = client.post(url, {"note": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "message error" in response.content.decode()
    assert not Submission.objects.exists() or Submission.objects.get().status == "draft"


def test_the_submission_page_shows_events_and_the_verifier_forms(
    client: Client, kecamatan: Region, kecamatan_operator: User, district_verifier: User
) -> None:
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025", note="all desa in"
    )
    client.force_login(district_verifier)
    url = reverse("review:submission", args=[submission.pk])
    body = client.get(url).content.decode()
    assert "all desa in" in body
    assert reverse("review:verify", args=[submission.pk]) in body
    response = client.post(reverse("review:verify", args=[submission.pk]), {"next": url})
    assert response.status_code == 302
    assert response.url == url
    submission.refresh_from_db()
    assert submission.status == Submission.Status.VERIFIED
    client.force_login(kecamatan_operator)  # the region sees its own history, without forms
    body = client.get(url).content.decode()
    assert reverse("review:verify", args=[submission.pk]) not in body
    assert reverse("review:reopen", args=[submission.pk]) not in body


def test_the_grid_include_loads_the_panel_lazily(kecamatan_operator: User) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "review/_submit_panel.html", {"period": "2025", "code": "35.19.01", "panel": None}
    )
    assert 'hx-get="/review/2025/35.19.01/submit/"' in html


def test_a_provincial_reviewer_sees_the_kab_kota_and_the_centre_the_provinces(
    client: Client, prov_verifier: User, central_admin: User
) -> None:
    client.force_login(prov_verifier)
    response = client.get(reverse("review:inbox"), {"period": "2025"})
    assert response.status_code == 200
    rows = response.context["inbox"].rows
    assert {row.region.parent_id for row in rows} == {"35"}
    assert len(rows) == 38  # Jawa Timur: 29 kabupaten and 9 kota
    assert all(row.completeness is None for row in rows)  # consolidations, not desa cells
    client.force_login(central_admin)
    response = client.get(reverse("review:inbox"), {"period": "2025"})
    assert response.status_code == 200
    assert len(response.context["inbox"].rows) == 38  # provinces
    assert "Verifikasi" in response.content.decode() or "Verification" in response.content.decode()
