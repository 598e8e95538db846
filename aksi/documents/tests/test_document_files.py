"""Upload checks: the allowed types, judged by content and not only by name; size limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from aksi.accounts.models import User
from aksi.documents.files import clean_file_name
from aksi.documents.models import Document

from .factories import JPG, PNG, add_document, office_bytes, pdf_bytes, upload

pytestmark = pytest.mark.usefixtures("english")


def _file_error(actor: User, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        add_document(actor, file=upload(name, content))
    assert not Document.objects.exists()
    return excinfo.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("perbup.pdf", None, "pdf"),
        ("PERBUP.PDF", None, "pdf"),
        ("notulen.docx", office_bytes("word/document.xml"), "docx"),
        ("rekap.xlsx", office_bytes("xl/workbook.xml"), "xlsx"),
        ("foto kegiatan.png", PNG, "png"),
        ("foto.jpeg", JPG, "jpg"),
    ],
)
def test_it_takes_the_allowed_types(
    district_admin: User, name: str, content: bytes | None, extension: str
) -> None:
    document = add_document(district_admin, file=upload(name, content or pdf_bytes()))
    assert document.file_extension == extension
    assert document.file_name == name


def test_it_refuses_other_types_by_name(district_admin: User) -> None:
    message = _file_error(district_admin, "setup.exe", b"MZ\x90\x00")
    assert message == (
        "“setup.exe” cannot be uploaded: choose a PDF, Word (.docx), Excel (.xlsx), JPG or "
        "PNG file."
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("perbup.pdf", b"MZ\x90\x00 a program renamed", "PDF"),
        ("perbup.pdf", office_bytes("word/document.xml"), "PDF"),
        ("notulen.docx", office_bytes("xl/workbook.xml"), "Word"),
        ("rekap.xlsx", b"PK\x03\x04 not a real zip", "Excel"),
        ("foto.png", JPG, "PNG"),
        ("foto.jpg", b"<svg onload=alert(1)>", "JPG"),
    ],
)
def test_it_sniffs_the_content(district_admin: User, name: str, content: bytes, kind: str) -> None:
    message = _file_error(district_admin, name, content)
    assert message.startswith(f"The content of “{name}” is not a {kind} file")


def test_it_refuses_office_files_with_macros(district_admin: User) -> None:
    message = _file_error(
        district_admin, "rekap.xlsx", office_bytes("xl/workbook.xml", macros=True)
    )
    assert "contains macros" in message


def test_it_refuses_an_empty_file(district_admin: User) -> None:
    assert _file_error(district_admin, "kosong.pdf", b"") == "The file “kosong.pdf” is empty."


def test_it_applies_the_size_limit_from_the_settings(district_admin: User, settings: Any) -> None:
    settings.AKSI_DOCUMENT_MAX_BYTES = 1000
    message = _file_error(district_admin, "besar.pdf", pdf_bytes() + b"%" * 1000)
    assert message.startswith("The file is ")
    assert message.endswith("the limit is 1000\xa0bytes.")
    settings.AKSI_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
    assert add_document(district_admin, file=upload("besar.pdf", pdf_bytes() + b"%" * 1000))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\bappeda\\Perbup 12.pdf", "Perbup 12.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('SK "TPPS"\x00\n.pdf', "SK TPPS.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_it_keeps_a_clean_version_of_the_uploaded_name(given: str, kept: str) -> None:
    assert clean_file_name(given) == kept
