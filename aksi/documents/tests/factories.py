"""Files of every allowed type, made in memory, and a shortcut to file a document."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from aksi.accounts.models import User
from aksi.documents import services
from aksi.documents.demo import demo_pdf
from aksi.documents.models import Document, DocumentKind, DocumentSubtype
from aksi.regions.models import Region

_serial = itertools.count(1)


def pdf_bytes(text: str = "") -> bytes:
    # Each file differs (the register refuses the same file twice in one region).
    return demo_pdf(text or f"Dokumen uji {next(_serial)}", ["(uji)"])


def pdf_upload(name: str = "perbup.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, "application/pdf")


def office_bytes(main_part: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package: content types and the application's main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr(main_part, f"<document>{next(_serial)}</document>")
        if macros:
            package.writestr(main_part.split("/")[0] + "/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def add_document(actor: User, region: str = "35.19", **extra: Any) -> Document:
    """A Perbup on stunting with a PDF, unless `extra` says otherwise."""
    fields: dict[str, Any] = {
        "region": Region.objects.get(code=region),
        "year": 2025,
        "kind": DocumentKind.REGULATION,
        "subtype": DocumentSubtype.REGIONAL_HEAD_REGULATION,
        "title": "Peraturan Bupati tentang Percepatan Penurunan Stunting",
        "number": f"Nomor {next(_serial)} Tahun 2024",
        "document_date": dt.date(2024, 3, 1),
        "file": pdf_upload(),
    }
    fields.update(extra)
    return services.document_create(actor=actor, **fields)
