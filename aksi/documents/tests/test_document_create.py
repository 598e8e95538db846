"""document_create: what a document needs, who may file it, and its audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aksi.accounts.models import User
from aksi.catalogue.models import Step
from aksi.core.models import AuditEvent, AuditEventType
from aksi.documents.models import Document, DocumentKind, DocumentStatus, DocumentSubtype

from .factories import add_document, pdf_bytes, pdf_upload, upload


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_files_a_regulation_with_its_file_hash_and_audit_event(
    district_admin: User, media: Path, english: None
) -> None:
    content = pdf_bytes("Perbup 12")
    document = add_document(
        district_admin, file=pdf_upload("Perbup 12 Tahun 2024.pdf", content), number="12/2024"
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_FORCE
    assert document.file_name == "Perbup 12 Tahun 2024.pdf"
    assert document.file_size == len(content)
    assert document.file_sha256 == hashlib.sha256(content).hexdigest()
    assert document.version == 1
    # Stored under a fresh name in the region's folder, never under the name the user gave.
    assert document.file.name.startswith("documents/35-19/2025/")
    assert document.file.name.endswith(".pdf")
    assert (media / document.file.name).read_bytes() == content

    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_ADDED)
    assert event.actor == district_admin
    assert event.target_id == str(document.pk)
    assert event.region_code == "35.19"
    assert event.data["number"] == "12/2024"
    assert event.data["file_sha256"] == document.file_sha256
    assert event.data["file"] == document.file.name


def test_a_publication_may_have_a_link_instead_of_a_file(district_admin: User) -> None:
    document = add_document(
        district_admin,
        kind=DocumentKind.PUBLICATION,
        subtype=DocumentSubtype.MEDIA,
        number="",
        file=None,
        link="https://madiunkab.go.id/berita/stunting",
        channel="Situs web",
        audience="Masyarakat",
    )
    assert document.file.name == ""
    assert document.status == ""  # only regulations have a status
    assert document.channel == "Situs web"


def test_channel_and_audience_belong_to_publications_only(district_admin: User) -> None:
    document = add_document(district_admin, channel="Radio", audience="Kader")
    assert (document.channel, document.audience) == ("", "")


@pytest.mark.usefixtures("english")
def test_it_needs_a_file_or_a_link(district_admin: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add_document(district_admin, file=None, link="")
    assert "Upload the file, or enter a link" in _errors(excinfo)["file"][0]
    assert not Document.objects.exists()


@pytest.mark.usefixtures("english")
def test_it_names_every_field_that_breaks_a_rule_at_once(district_admin: User) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        add_document(
            district_admin,
            title="  ",
            number="",
            document_date=tomorrow,
            year=2017,
            link="ftp://example.org/perbup.pdf",
        )
    errors = _errors(excinfo)
    assert set(errors) == {"title", "number", "document_date", "year", "link"}
    assert "in the future" in errors["document_date"][0]
    assert errors["number"] == ["Enter the number of the regulation."]


@pytest.mark.usefixtures("english")
def test_the_type_must_belong_to_the_kind(district_admin: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add_document(district_admin, kind=DocumentKind.MINUTES, subtype=DocumentSubtype.MEDIA)
    assert _errors(excinfo)["subtype"] == ["Choose a type of minutes."]


@pytest.mark.usefixtures("english")
def test_a_kecamatan_issues_no_perbup(kebonsari_operator: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add_document(kebonsari_operator, region="35.19.01")
    assert "does not issue" in _errors(excinfo)["subtype"][0]
    # ...but its SK TPPS is filed.
    document = add_document(
        kebonsari_operator, region="35.19.01", subtype=DocumentSubtype.TASK_FORCE_DECREE
    )
    assert document.region_id == "35.19.01"


@pytest.mark.usefixtures("english")
def test_the_step_must_be_of_the_years_framework_and_the_regions_level(
    district_admin: User, kebonsari_operator: User
) -> None:
    old_step = Step.objects.get(framework__code="aksi8_2018", code="A3")
    with pytest.raises(ValidationError) as excinfo:
        add_document(district_admin, step=old_step)
    assert "not to the framework of 2025" in _errors(excinfo)["step"][0]

    semester = Step.objects.get(framework__code="aksi6_2025", code="3c")  # kecamatan only
    with pytest.raises(ValidationError) as excinfo:
        add_document(district_admin, step=semester)
    assert _errors(excinfo)["step"] == ["A regency/city has no step 3c."]

    step_1 = Step.objects.get(framework__code="aksi6_2025", code="1")
    minutes = add_document(
        kebonsari_operator,
        region="35.19.01",
        kind=DocumentKind.MINUTES,
        subtype=DocumentSubtype.AGREEMENT_MINUTES,
        number="",
        step=step_1,
    )
    assert minutes.step == step_1


@pytest.mark.usefixtures("english")
def test_it_refuses_a_number_or_a_file_already_in_the_register(district_admin: User) -> None:
    content = pdf_bytes("satu")
    add_document(district_admin, number="7/2024", file=pdf_upload(content=content))
    with pytest.raises(ValidationError) as excinfo:
        add_document(district_admin, number="7/2024")
    assert "already in the register" in _errors(excinfo)["number"][0]
    with pytest.raises(ValidationError) as excinfo:
        add_document(
            district_admin,
            kind=DocumentKind.PUBLICATION,
            subtype=DocumentSubtype.DATA,
            file=pdf_upload("salinan.pdf", content),
        )
    assert "This file is already in the register" in _errors(excinfo)["file"][0]
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    "actor", ["geger_operator", "province_reviewer", "monitor", "outsider", "kebonsari_operator"]
)
def test_only_writers_of_the_region_file_documents(
    request: pytest.FixtureRequest, actor: str
) -> None:
    # Kab. Madiun's register: a kecamatan operator writes its own, not the kab/kota's; the
    # province's reviewer and the central monitor read but do not write.
    user = request.getfixturevalue(actor)
    with pytest.raises(PermissionDenied):
        add_document(user, region="35.19")
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_ADDED).exists()


def test_a_regional_admin_files_for_its_kecamatan_too(district_admin: User) -> None:
    document = add_document(
        district_admin,
        region="35.19.01",
        kind=DocumentKind.MINUTES,
        subtype=DocumentSubtype.MEETING_MINUTES,
        number="",
    )
    assert document.region_id == "35.19.01"


@pytest.mark.usefixtures("english")
def test_desa_keep_no_register_here(district_admin: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add_document(
            district_admin, region="35.19.01.2001", subtype=DocumentSubtype.TASK_FORCE_DECREE
        )
    assert "region" in _errors(excinfo)


@pytest.mark.usefixtures("english")
def test_a_refused_file_is_reported_with_the_other_problems(district_admin: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add_document(district_admin, number="", file=upload("perbup.pdf", b"MZ renamed"))
    errors = _errors(excinfo)
    assert set(errors) == {"file", "number"}
    assert errors["file"][0].startswith("The content of “perbup.pdf” is not a PDF file")
