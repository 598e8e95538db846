"""Checks of an uploaded document file: extension, size and the content itself.

The extension alone proves nothing (a renamed .exe is still an .exe), so the first bytes, or
for Office files the parts of the zip package, must match the type the name claims.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aksi.documents.models import FILE_TYPES, Document

HEAD_BYTES = 1024
# Office Open XML: the package's content types, and the part only that application writes.
OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MACRO_PARTS = ("word/vbaProject.bin", "xl/vbaProject.bin")
TYPE_NAMES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "jpg": "JPG", "png": "PNG"}


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    extension: str
    size: int
    sha256: str
    original_name: str


def clean_file_name(name: str) -> str:
    """The name as the user gave it, without folders, control characters or quotes."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'["<>|:*?]', "", name).strip(" .") or "dokumen"
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 200 - len(suffix) - 1]}.{suffix}" if dot else name[:200]
    return name


def _extension(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return "jpg" if suffix == "jpeg" else suffix


def _content_matches(stream: IO[bytes], extension: str) -> bool:
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if extension == "pdf":
        # The PDF header may follow a little junk, which readers accept (ISO 32000 §7.5.2).
        return b"%PDF-" in head
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        # Reads the zip directory only: nothing is unpacked.
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        stream.seek(0)
    return "[Content_Types].xml" in names and OFFICE_MAIN_PART[extension] in names


def _has_macros(stream: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(stream) as package:
            return any(part in package.namelist() for part in MACRO_PARTS)
    finally:
        stream.seek(0)


def uploaded_file_check(upload: UploadedFile) -> CheckedFile:
    """The checked file with its size and SHA-256, or a ValidationError naming the field."""
    name = clean_file_name(upload.name or "")
    extension = _extension(name)
    if extension not in FILE_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” cannot be uploaded: choose a PDF, Word (.docx), Excel (.xlsx), "
                    "JPG or PNG file."
                )
                % {"name": name}
            }
        )
    limit = settings.AKSI_DOCUMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file “%(name)s” is empty.") % {"name": name}})
    upload.seek(0)
    if not _content_matches(upload, extension):
        raise ValidationError(
            {
                "file": _(
                    "The content of “%(name)s” is not a %(type)s file: it may be damaged, or "
                    "another kind of file renamed."
                )
                % {"name": name, "type": TYPE_NAMES[extension]}
            }
        )
    if extension in OFFICE_MAIN_PART and _has_macros(upload):
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” contains macros. Save it as a plain .docx or .xlsx file without "
                    "macros and upload it again."
                )
                % {"name": name}
            }
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload, extension=extension, size=size, sha256=digest.hexdigest(), original_name=name
    )


def file_response(document: Document) -> FileResponse:
    """The file as an attachment under the name it was uploaded with (the caller checks the
    reader's scope)."""
    if not document.file:
        raise Http404(_("This document has no file, only a link."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this document is missing from storage.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name or f"dokumen-{document.pk}.{document.file_extension}",
        content_type=document.content_type,
    )
    # A downloaded document is private to the reader's scope: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response
