"""The document registers: regulations (Aksi Pendukung 1), publications (Aksi Pendukung 2),
minutes (berita acara), reports and decrees of a region, each with a file or a link."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aksi.regions.models import Level


class DocumentKind(models.TextChoices):
    REGULATION = "regulation", _("Regulation")
    PUBLICATION = "publication", _("Publication")
    MINUTES = "minutes", _("Minutes")
    REPORT = "report", _("Report")
    DECREE = "decree", _("Decree")


class DocumentSubtype(models.TextChoices):
    """The type of a document within its kind (DOMAIN §4.2); `other` exists in every kind."""

    # regulation (AP1)
    REGIONAL_HEAD_REGULATION = (
        "regional_head_regulation",
        _("Regulation of the head of region on stunting (Perbup/Perwal/Pergub)"),
    )
    VILLAGE_AUTHORITY_REGULATION = (
        "village_authority_regulation",
        _("Regent/mayor regulation on village authority"),
    )
    TASK_FORCE_DECREE = "task_force_decree", _("Decree on the stunting task force (SK TPPS)")
    APPOINTMENT_DECREE = "appointment_decree", _("Appointment decree (SK Penunjukan)")
    PRIORITY_VILLAGE_DECREE = (
        "priority_village_decree",
        _("Decree on priority villages (SK lokus desa)"),
    )
    CIRCULAR = "circular", _("Circular of the head of region")
    # publication (AP2)
    DATA = "data", _("Data: prevalence and coverage by village")
    CONVERGENCE_RESULTS = "convergence_results", _("Convergence results")
    BEHAVIOUR_CHANGE = "behaviour_change", _("Behaviour-change material")
    MEDIA = "media", _("Media (press, radio, social media)")
    EVENT = "event", _("Event (campaign, launch, exhibition)")
    # minutes
    MEETING_MINUTES = "meeting_minutes", _("Minutes of a meeting or forum")
    AGREEMENT_MINUTES = "agreement_minutes", _("Minutes of an agreement")
    # report
    SITUATION_ANALYSIS_REPORT = "situation_analysis_report", _("Situation analysis report")
    EVALUATION_REPORT = "evaluation_report", _("Monitoring and evaluation report")
    SEMESTER_REPORT = "semester_report", _("Semester report")
    # decree
    TEAM_DECREE = "team_decree", _("Decree forming a team or working group")
    DETERMINATION_DECREE = "determination_decree", _("Decree determining results")
    OTHER = "other", _("Other")


_S = DocumentSubtype
KIND_SUBTYPES: dict[str, tuple[str, ...]] = {
    DocumentKind.REGULATION: (
        _S.REGIONAL_HEAD_REGULATION,
        _S.VILLAGE_AUTHORITY_REGULATION,
        _S.TASK_FORCE_DECREE,
        _S.APPOINTMENT_DECREE,
        _S.PRIORITY_VILLAGE_DECREE,
        _S.CIRCULAR,
        _S.OTHER,
    ),
    DocumentKind.PUBLICATION: (
        _S.DATA,
        _S.CONVERGENCE_RESULTS,
        _S.BEHAVIOUR_CHANGE,
        _S.MEDIA,
        _S.EVENT,
        _S.OTHER,
    ),
    DocumentKind.MINUTES: (_S.MEETING_MINUTES, _S.AGREEMENT_MINUTES, _S.OTHER),
    DocumentKind.REPORT: (
        _S.SITUATION_ANALYSIS_REPORT,
        _S.EVALUATION_REPORT,
        _S.SEMESTER_REPORT,
        _S.OTHER,
    ),
    DocumentKind.DECREE: (_S.TEAM_DECREE, _S.DETERMINATION_DECREE, _S.OTHER),
}
# Who issues what: a camat signs no Perbup, and lokus desa are set by the kab/kota. Types not
# listed here belong to any level that keeps documents.
SUBTYPE_LEVELS: dict[str, frozenset[str]] = {
    _S.REGIONAL_HEAD_REGULATION: frozenset({Level.PROVINCE, Level.DISTRICT}),
    _S.VILLAGE_AUTHORITY_REGULATION: frozenset({Level.DISTRICT}),
    _S.PRIORITY_VILLAGE_DECREE: frozenset({Level.DISTRICT}),
    _S.APPOINTMENT_DECREE: frozenset({Level.DISTRICT, Level.SUBDISTRICT}),
}
# Desa keep no register of their own here (yet): their Perdes are out of scope.
DOCUMENT_LEVELS = frozenset({Level.PROVINCE, Level.DISTRICT, Level.SUBDISTRICT})
# Kinds whose documents carry an official number.
NUMBERED_KINDS = frozenset({DocumentKind.REGULATION, DocumentKind.DECREE})


class DocumentStatus(models.TextChoices):
    """Of regulations only: other kinds keep an empty status."""

    IN_FORCE = "in_force", _("In force")
    REVOKED = "revoked", _("Revoked")


# Extension → the type sent on download. The content is sniffed on upload (documents.files).
FILE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


def document_upload_to(instance: Document, filename: str) -> str:
    """A fresh name per upload, so a replaced file is never overwritten; the name the user gave
    is kept in `file_name`."""
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    suffix = "jpg" if suffix == "jpeg" else suffix
    folder = instance.region_id.replace(".", "-") if instance.region_id else "unknown"
    return f"documents/{folder}/{instance.year}/{uuid.uuid4().hex}.{suffix}"


class DocumentQuerySet(models.QuerySet["Document"]):
    def present(self) -> DocumentQuerySet:
        """Not removed: removed documents stay (with their files) for the audit trail only."""
        return self.filter(removed_at__isnull=True)


class Document(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("region"),
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))
    kind = models.CharField(_("kind of document"), max_length=12, choices=DocumentKind.choices)
    subtype = models.CharField(_("document type"), max_length=32, choices=DocumentSubtype.choices)
    step = models.ForeignKey(
        "catalogue.Step",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("step"),
    )
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"))
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, blank=True
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_note = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    # Publications: where and for whom it was published.
    channel = models.CharField(_("channel"), max_length=150, blank=True)
    audience = models.CharField(_("audience"), max_length=150, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Raised by every change; an edit form posts the version it showed, so a change made in
    # between is reported instead of overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.CharField(_("reason for removal"), max_length=500, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-document_date", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["year", "kind"], name="document_year_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""), name="document_file_or_link"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="document_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    @property
    def is_regulation(self) -> bool:
        return self.kind == DocumentKind.REGULATION

    @property
    def is_revoked(self) -> bool:
        return self.status == DocumentStatus.REVOKED

    @property
    def file_extension(self) -> str:
        return PurePath(self.file.name).suffix.lower().lstrip(".") if self.file else ""

    @property
    def content_type(self) -> str:
        return FILE_TYPES.get(self.file_extension, "application/octet-stream")
