from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    VERIFIER = "verifier", _("Verifier")
    REGION_ADMIN = "region_admin", _("Regional admin")
    PROVINCIAL_REVIEWER = "provincial_reviewer", _("Provincial reviewer")
    PANELIST = "panelist", _("Panelist")
    CENTRAL_ADMIN = "central_admin", _("Central admin")
    CENTRAL_MONITOR = "central_monitor", _("Central monitor")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    """One person, one account. Email is the contact for invitations and reminders."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    is_demo = models.BooleanField(default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class AppointmentDecree(models.Model):
    """SK Penunjukan: the decree (of a camat, or a kab/kota) naming data operators and verifiers."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    number = models.CharField(_("decree number"), max_length=100)
    decree_date = models.DateField(_("decree date"))
    signed_by = models.CharField(_("signed by"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("decree file (PDF)"), upload_to="decrees/%Y/")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decree_date", "-id"]
        verbose_name = _("appointment decree")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="decree_number_per_region")
        ]

    def __str__(self) -> str:
        return f"SK {self.number}"

    def is_expired(self, on: date | None = None) -> bool:
        return self.valid_to is not None and self.valid_to < (on or timezone.localdate())


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self) -> RoleAssignmentQuerySet:
        today = timezone.localdate()
        current = self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        )
        if settings.AKSI_DECREE_EXPIRY_ENDS_ASSIGNMENTS:
            current = current.filter(
                Q(decree__isnull=True)
                | Q(decree__valid_to__isnull=True)
                | Q(decree__valid_to__gte=today)
            )
        return current


class RoleAssignment(models.Model):
    """A role held by a user over a region subtree, optionally for one reporting unit.

    A region of NULL means national scope (central roles).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    unit = models.ForeignKey(
        "reporting.ReportingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("reporting unit"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    decree = models.ForeignKey(
        AppointmentDecree,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("appointment decree"),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "role", "region_id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        where = self.region.name if self.region else _("National")
        return f"{self.get_role_display()} — {where}"
