"""Demo documents of Nusa Tenggara Barat: regulations, an SK TPPS, publications and the berita
acara of step 1 of a kecamatan, filed through the services by the demo officers.

The numbers, dates and contents are invented; the files are one-page PDFs made here.
Idempotent: a document already in the register (same region and title) is not filed again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from aksi.accounts.models import User
from aksi.catalogue.models import Step
from aksi.documents.models import Document, DocumentKind, DocumentSubtype
from aksi.documents.services import document_create, document_revoke
from aksi.regions.models import Region


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF (A4, Helvetica) with a title and a few lines of text."""
    ops = ["BT", "/F1 15 Tf", "56 780 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf", "0 -30 Td"]
    for line in lines:
        ops += [f"({_pdf_text(line)}) Tj", "0 -16 Td"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


@dataclass(frozen=True)
class DemoDocument:
    username: str
    region: str
    kind: str
    subtype: str
    title: str
    document_date: dt.date
    number: str = ""
    step: str = ""  # a step code of the 2025 framework
    channel: str = ""
    audience: str = ""
    link: str = ""
    file_name: str = ""
    lines: list[str] = field(default_factory=list)
    revoked: tuple[dt.date, str] | None = None
    year: int = 2025


DEMO_YEAR = 2025
DEMO_DOCUMENTS = [
    DemoDocument(
        "lomboktimur.admin",
        "52.03",
        DocumentKind.REGULATION,
        DocumentSubtype.REGIONAL_HEAD_REGULATION,
        "Peraturan Bupati Lombok Timur tentang Percepatan Penurunan Stunting",
        dt.date(2019, 7, 8),
        number="Nomor 32 Tahun 2019",
        file_name="Perbup 32 Tahun 2019 Stunting.pdf",
        lines=["Peraturan Bupati Lombok Timur Nomor 32 Tahun 2019", "(dokumen contoh)"],
        revoked=(dt.date(2023, 5, 17), "Dicabut dengan Perbup Nomor 18 Tahun 2023."),
        year=2022,
    ),
    DemoDocument(
        "lomboktimur.admin",
        "52.03",
        DocumentKind.REGULATION,
        DocumentSubtype.REGIONAL_HEAD_REGULATION,
        "Peraturan Bupati Lombok Timur tentang Percepatan Penurunan Stunting Terintegrasi",
        dt.date(2023, 5, 17),
        number="Nomor 18 Tahun 2023",
        step="R",
        file_name="Perbup 18 Tahun 2023 Stunting.pdf",
        lines=[
            "Peraturan Bupati Lombok Timur Nomor 18 Tahun 2023",
            "tentang Percepatan Penurunan Stunting Terintegrasi",
            "(dokumen contoh)",
        ],
    ),
    DemoDocument(
        "lomboktimur.admin",
        "52.03",
        DocumentKind.REGULATION,
        DocumentSubtype.TASK_FORCE_DECREE,
        "Keputusan Bupati Lombok Timur tentang Tim Percepatan Penurunan Stunting Kabupaten",
        dt.date(2025, 1, 20),
        number="188.45/27/BAPPEDA/2025",
        step="R",
        file_name="SK TPPS Lombok Timur 2025.pdf",
        lines=["Keputusan Bupati Lombok Timur", "Tim Percepatan Penurunan Stunting", "2025"],
    ),
    DemoDocument(
        "lomboktimur.admin",
        "52.03",
        DocumentKind.PUBLICATION,
        DocumentSubtype.DATA,
        "Prevalensi stunting dan cakupan layanan per desa, Lombok Timur 2024",
        dt.date(2025, 4, 14),
        step="P",
        channel="Situs web Bappeda",
        audience="Masyarakat umum",
        link="https://demo.aksi.invalid/lombok-timur/publikasi/data-stunting-2024",
    ),
    DemoDocument(
        "lomboktimur.kec.operator",
        "52.03.07",
        DocumentKind.MINUTES,
        DocumentSubtype.AGREEMENT_MINUTES,
        "Berita Acara Kesepakatan Hasil Analisis Situasi Kecamatan Selong 2025",
        dt.date(2025, 3, 12),
        number="005/41/KEC-SLG/2025",
        step="1",
        file_name="BA Analisis Situasi Selong 2025.pdf",
        lines=[
            "Berita Acara Kesepakatan Hasil Analisis Situasi",
            "Kecamatan Selong, 12 Maret 2025",
            "(dokumen contoh)",
        ],
    ),
    DemoDocument(
        "mataram.admin",
        "52.71",
        DocumentKind.REGULATION,
        DocumentSubtype.REGIONAL_HEAD_REGULATION,
        "Peraturan Wali Kota Mataram tentang Percepatan Penurunan Stunting",
        dt.date(2022, 9, 1),
        number="Nomor 41 Tahun 2022",
        step="R",
        file_name="Perwal 41 Tahun 2022.pdf",
        lines=["Peraturan Wali Kota Mataram Nomor 41 Tahun 2022", "(dokumen contoh)"],
    ),
]


def documents_demo_seed() -> int:
    """File the demo documents that are missing; returns how many were filed."""
    steps = {
        s.code: s
        for s in Step.objects.filter(framework__first_year__lte=DEMO_YEAR).filter(
            framework__last_year__isnull=True
        )
    }
    created = 0
    for demo in DEMO_DOCUMENTS:
        region = Region.objects.get(code=demo.region)
        if Document.objects.present().filter(region=region, title=demo.title).exists():
            continue
        actor = User.objects.filter(username=demo.username, is_demo=True).first()
        if actor is None:
            continue
        upload = None
        if demo.file_name:
            content = demo_pdf(demo.title, demo.lines)
            upload = SimpleUploadedFile(demo.file_name, content, content_type="application/pdf")
        document = document_create(
            actor=actor,
            region=region,
            year=demo.year,
            kind=demo.kind,
            subtype=demo.subtype,
            title=demo.title,
            document_date=demo.document_date,
            number=demo.number,
            step=steps.get(demo.step) if demo.step else None,
            channel=demo.channel,
            audience=demo.audience,
            link=demo.link,
            file=upload,
        )
        if demo.revoked:
            document_revoke(
                actor=actor, document=document, revoked_on=demo.revoked[0], note=demo.revoked[1]
            )
        created += 1
    return created
