"""Every change to accounts, role assignments and appointment decrees, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from aksi.accounts.models import AppointmentDecree, Role, RoleAssignment, User
from aksi.accounts.rules import REGIONAL_ROLES, is_central_admin
from aksi.accounts.scopes import managed_scope
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Level, Region
from aksi.reporting.models import ReportingUnit

ONE_TIME_PASSWORD_BYTES = 9  # 12 URL-safe characters


def _one_time_password() -> str:
    return secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)


def _require_manager(actor: User, region: Region | None) -> None:
    if region is None:
        if not is_central_admin(actor):
            raise PermissionDenied(_("Only central administrators manage national roles."))
        return
    if not managed_scope(actor).covers(region.code):
        raise PermissionDenied(
            _("%(region)s is outside the regions you administer.") % {"region": region.name}
        )


def _check_assignment(
    *,
    actor: User,
    role: str,
    region: Region | None,
    unit: ReportingUnit | None,
    decree: AppointmentDecree | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in (Role.CENTRAL_ADMIN, Role.CENTRAL_MONITOR):
        if region is not None:
            raise ValidationError(
                {"region": _("Central roles have national scope: leave the region empty.")}
            )
    elif region is None:
        raise ValidationError({"region": _("Choose the region this role covers.")})
    if role not in REGIONAL_ROLES and not is_central_admin(actor):
        raise PermissionDenied(_("Only central administrators give central roles."))
    _require_manager(actor, region)
    if region is not None and not region.is_active:
        raise ValidationError(
            {"region": _("%(code)s is no longer an active region.") % {"code": region.code}}
        )
    if role == Role.PROVINCIAL_REVIEWER and region is not None and region.level != Level.PROVINCE:
        raise ValidationError({"region": _("A provincial reviewer is assigned to a province.")})
    if unit is not None and region is not None:
        inside = region.code == unit.region_id or region.code.startswith(f"{unit.region_id}.")
        above = unit.region_id.startswith(f"{region.code}.")
        if not (inside or above):
            raise ValidationError(
                {
                    "unit": _("%(unit)s does not work in %(region)s.")
                    % {"unit": unit, "region": region.name}
                }
            )
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    if decree is not None:
        if decree.is_expired():
            raise ValidationError(
                {
                    "decree": _("SK %(number)s expired on %(date)s.")
                    % {"number": decree.number, "date": decree.valid_to}
                }
            )
        if region is None or not (
            region.code == decree.region_id or region.code.startswith(f"{decree.region_id}.")
        ):
            raise ValidationError({"decree": _("The SK was issued for another region.")})


def _assignment_data(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user.username,
        "role": assignment.role,
        "region": assignment.region_id,
        "unit": assignment.unit_id,
        "decree": assignment.decree_id,
        "valid_from": str(assignment.valid_from or ""),
        "valid_to": str(assignment.valid_to or ""),
    }


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    user: User,
    role: str,
    region: Region | None,
    unit: ReportingUnit | None = None,
    decree: AppointmentDecree | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> RoleAssignment:
    _check_assignment(
        actor=actor,
        role=role,
        region=region,
        unit=unit,
        decree=decree,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        region=region,
        unit=unit,
        decree=decree,
        valid_from=valid_from,
        valid_to=valid_to or (decree.valid_to if decree else None),
        created_by=actor,
    )
    audit_event_record(
        event_type=AuditEventType.ASSIGNMENT_CREATED,
        actor=actor,
        target=user,
        region_code=region.code if region else "",
        data=_assignment_data(assignment),
    )
    return assignment


@transaction.atomic
def assignment_end(
    *, actor: User, assignment: RoleAssignment, on: dt.date | None = None
) -> RoleAssignment:
    """End an assignment; the row stays, so history shows who held the role when."""
    _require_manager(actor, assignment.region)
    end = on or timezone.localdate() - dt.timedelta(days=1)
    before = _assignment_data(assignment)
    assignment.valid_to = end
    assignment.save(update_fields=["valid_to"])
    audit_event_record(
        event_type=AuditEventType.ASSIGNMENT_ENDED,
        actor=actor,
        target=assignment.user,
        region_code=assignment.region_id or "",
        data={"before": before, "after": _assignment_data(assignment)},
    )
    return assignment


@dataclass(frozen=True)
class NewAccount:
    user: User
    one_time_password: str | None  # None when an invitation was e-mailed


def _clean_identity(*, username: str, email: str) -> tuple[str, str]:
    username = username.strip()
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("A username is required.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("The username %(name)s is taken.") % {"name": username}
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = _(
            "%(email)s already has an account: one person, one account. "
            "Add a role to that account instead."
        ) % {"email": email}
    if errors:
        raise ValidationError(errors)
    return username, email


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str = "",
    role: str,
    region: Region | None,
    unit: ReportingUnit | None = None,
    decree: AppointmentDecree | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    invite: bool = False,
) -> NewAccount:
    """Create a personal account with its first role.

    Without an invitation the account gets a one-time password, shown once to the admin; the
    user must choose their own at first login. With one, the user sets a password from an
    e-mailed link.
    """
    username, email = _clean_identity(username=username, email=email)
    if invite and not email:
        raise ValidationError({"email": _("An invitation needs an e-mail address.")})
    _check_assignment(
        actor=actor,
        role=role,
        region=region,
        unit=unit,
        decree=decree,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    user = User(username=username, full_name=full_name.strip(), email=email)
    password = None
    if invite:
        user.set_unusable_password()
    else:
        password = _one_time_password()
        user.set_password(password)
    user.must_change_password = True
    user.save()
    audit_event_record(
        event_type=AuditEventType.USER_CREATED,
        actor=actor,
        target=user,
        region_code=region.code if region else "",
        data={"username": username, "full_name": user.full_name, "email": email, "invited": invite},
    )
    assignment_create(
        actor=actor,
        user=user,
        role=role,
        region=region,
        unit=unit,
        decree=decree,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if invite:
        transaction.on_commit(lambda: _send_invitation(user))
    return NewAccount(user=user, one_time_password=password)


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def _send_invitation(user: User) -> None:
    body = render_to_string(
        "accounts/email/invitation.txt",
        {"user": user, "path": invitation_path(user), "site_url": settings.SITE_URL},
    )
    send_mail(_("Your Aksi account"), body, None, [user.email])


def _require_user_manager(actor: User, user: User) -> None:
    """The actor must administer at least one region where the user holds a role."""
    if is_central_admin(actor):
        return
    scope = managed_scope(actor)
    codes = user.assignments.values_list("region_id", flat=True)
    if not any(code and scope.covers(code) for code in codes):
        raise PermissionDenied(_("This account has no role in the regions you administer."))


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> str:
    """A new one-time password, shown once; the user must change it at the next login."""
    _require_user_manager(actor, user)
    password = _one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.username)
    audit_event_record(event_type=AuditEventType.PASSWORD_RESET, actor=actor, target=user, data={})
    return password


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (history and past entries stay attributable) or reactivate an account."""
    _require_user_manager(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_event_record(
        event_type=AuditEventType.USER_ACTIVATED if active else AuditEventType.USER_DEACTIVATED,
        actor=actor,
        target=user,
        data={"is_active": active},
    )
    return user


@transaction.atomic
def user_two_factor_reset(*, actor: User, user: User) -> int:
    """Remove the user's authenticator (a lost phone); the next login sets up a new one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_user_manager(actor, user)
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    audit_event_record(
        event_type=AuditEventType.TWO_FACTOR_RESET,
        actor=actor,
        target=user,
        data={"devices_removed": removed},
    )
    return removed


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    _require_user_manager(actor, user)
    cleared = axes_reset(username=user.username)
    audit_event_record(
        event_type=AuditEventType.USER_UNLOCKED,
        actor=actor,
        target=user,
        data={"cleared_attempts": cleared},
    )
    return cleared


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """Set the user's own password (validated by the form) and lift a forced change."""
    was_forced = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_event_record(
        event_type=AuditEventType.PASSWORD_CHANGED,
        actor=user,
        target=user,
        data={"forced": was_forced},
    )
    return user


PDF_MAGIC = b"%PDF-"


def _check_pdf(upload: UploadedFile) -> None:
    limit = settings.AKSI_DECREE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError({"file": _("The decree file must be a PDF document.")})


@transaction.atomic
def decree_register(
    *,
    actor: User,
    region: Region,
    number: str,
    decree_date: dt.date,
    signed_by: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    file: UploadedFile,
) -> AppointmentDecree:
    """Record an SK Penunjukan of a kecamatan or kab/kota with its PDF."""
    _require_manager(actor, region)
    if region.level not in (Level.SUBDISTRICT, Level.DISTRICT):
        raise ValidationError(
            {"region": _("An SK Penunjukan belongs to a subdistrict or a regency/city.")}
        )
    number = number.strip()
    if AppointmentDecree.objects.filter(region=region, number__iexact=number).exists():
        raise ValidationError(
            {"number": _("SK %(number)s is already recorded for this region.") % {"number": number}}
        )
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    if valid_to and valid_to < timezone.localdate():
        raise ValidationError({"valid_to": _("This SK has already expired.")})
    _check_pdf(file)
    decree = AppointmentDecree.objects.create(
        region=region,
        number=number,
        decree_date=decree_date,
        signed_by=signed_by.strip(),
        year=decree_date.year,
        valid_from=valid_from,
        valid_to=valid_to,
        file=file,
        created_by=actor,
    )
    audit_event_record(
        event_type=AuditEventType.DECREE_REGISTERED,
        actor=actor,
        target=decree,
        region_code=region.code,
        data={
            "number": number,
            "decree_date": str(decree_date),
            "signed_by": decree.signed_by,
            "valid_from": str(valid_from),
            "valid_to": str(valid_to or ""),
        },
    )
    return decree


# Bulk creation from a sheet ------------------------------------------------------------------

COLUMN_ALIASES = {
    "nama": "full_name",
    "name": "full_name",
    "full_name": "full_name",
    "nama_lengkap": "full_name",
    "username": "username",
    "nama_pengguna": "username",
    "email": "email",
    "e_mail": "email",
    "surel": "email",
    "peran": "role",
    "role": "role",
    "kode_wilayah": "region_code",
    "region_code": "region_code",
    "kode": "region_code",
    "unit": "unit",
    "unit_pelapor": "unit",
    "reporting_unit": "unit",
    "sk": "decree",
    "nomor_sk": "decree",
    "decree": "decree",
}
REQUIRED_COLUMNS = ("full_name", "username", "role", "region_code")
# The column names people type in the sheet (Indonesian), for messages.
SHEET_NAMES = {
    "full_name": "nama",
    "username": "username",
    "email": "email",
    "role": "peran",
    "region_code": "kode_wilayah",
    "unit": "unit",
    "decree": "sk",
}


@dataclass
class ImportRow:
    row_number: int
    values: dict[str, str]
    errors: list[str]
    password: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    rows: list[ImportRow]
    missing_columns: list[str]
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.missing_columns and all(row.ok for row in self.rows) and bool(self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


def _role_from_text(text: str) -> str | None:
    wanted = text.strip().lower()
    from django.utils import translation

    for value, label in Role.choices:
        names = {value, str(label).lower()}
        with translation.override("id"):
            names.add(str(label).lower())
        if wanted in names or wanted.replace(" ", "_") == value:
            return value
    return None


def _messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error)]
    if hasattr(error, "error_dict"):
        return [f"{field}: {m}" for field, errs in error.message_dict.items() for m in errs]
    return list(error.messages)


class _DryRun(Exception):
    pass


def users_import(*, actor: User, sheet: Any, apply: bool) -> ImportReport:
    """Create one account per row, all or nothing.

    The dry run performs the very same creations and rolls them back, so its verdict is
    exactly what applying would do (duplicates inside the file included).
    """
    from aksi.regions.sources import normalize_code

    columns = {COLUMN_ALIASES[h] for h in sheet.header if h in COLUMN_ALIASES}
    missing = [SHEET_NAMES[c] for c in REQUIRED_COLUMNS if c not in columns]
    rows = [
        ImportRow(number, {COLUMN_ALIASES[k]: v for k, v in raw.items() if k in COLUMN_ALIASES}, [])
        for number, raw in zip(sheet.row_numbers, sheet.rows, strict=True)
    ]
    report = ImportReport(rows=rows, missing_columns=missing)
    if missing or not rows:
        return report
    try:
        with transaction.atomic():
            for row in rows:
                _import_row(actor=actor, row=row, normalize_code=normalize_code)
            if not apply or not report.ok:
                raise _DryRun
    except _DryRun:
        if apply:
            for row in rows:
                row.password = None
        return report
    report.applied = True
    return report


def _import_row(*, actor: User, row: ImportRow, normalize_code: Any) -> None:
    values = row.values
    role = _role_from_text(values.get("role", ""))
    if role is None:
        row.errors.append(_("role: “%(value)s” is not a role.") % {"value": values.get("role", "")})
        return
    code = values.get("region_code", "").strip()
    region = None
    if code:
        region = Region.objects.filter(code=normalize_code(code), valid_to__isnull=True).first()
        if region is None:
            row.errors.append(_("region_code: %(code)s is not a region code.") % {"code": code})
            return
    unit = None
    if values.get("unit") and region is not None:
        unit = ReportingUnit.objects.filter(
            Q(short_name__iexact=values["unit"]) | Q(name__iexact=values["unit"]),
            region__code__in=[region.code, *region.ancestor_codes],
        ).first()
        if unit is None:
            row.errors.append(
                _("unit: no reporting unit “%(unit)s” in %(region)s.")
                % {"unit": values["unit"], "region": region.name}
            )
            return
    decree = None
    if values.get("decree") and region is not None:
        decree = AppointmentDecree.objects.filter(
            number__iexact=values["decree"], region__code__in=[region.code, *region.ancestor_codes]
        ).first()
        if decree is None:
            row.errors.append(
                _("decree: SK %(number)s is not recorded.") % {"number": values["decree"]}
            )
            return
    try:
        with transaction.atomic():
            account = user_create(
                actor=actor,
                username=values.get("username", ""),
                full_name=values.get("full_name", ""),
                email=values.get("email", ""),
                role=role,
                region=region,
                unit=unit,
                decree=decree,
            )
    except (ValidationError, PermissionDenied) as error:
        row.errors.extend(_messages(error))
        return
    row.password = account.one_time_password
