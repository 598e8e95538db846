from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aksi.accounts import selectors, services
from aksi.accounts.forms import AssignmentFields, DecreeForm, UserCreateForm
from aksi.accounts.models import Role, RoleAssignment
from aksi.lib import tabular

T = TypeVar("T")

# Service errors name model fields; the forms call some of them differently.
FIELD_ALIASES = {"region": "region_code"}


def submit(form: forms.Form, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Call a service for a valid form; its refusals become form errors naming the field."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        apply_errors(form, error)
    except PermissionDenied as denied:
        form.add_error(None, str(denied))
    return None


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = FIELD_ALIASES.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        user = services.user_password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()})
        return redirect(next_url if safe and next_url else "home")
    context = {"form": form, "next": next_url, "forced": request.user.must_change_password}
    return render(request, "registration/password_change.html", context)


class InvitationConfirmView(auth_views.PasswordResetConfirmView):
    """The link of an invitation (or a reset): the user chooses a password through the service."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("login")
    form_class = SetPasswordForm

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        services.user_password_change(
            user=form.user, new_password=form.cleaned_data["new_password1"]
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. Log in with it now."))
        return redirect(self.success_url)


manage_users = permission_required("accounts.manage_users", raise_exception=True)


@login_required
@manage_users
def user_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "region_code": request.GET.get("region", "").strip(),
        "role": request.GET.get("role", "") if request.GET.get("role") in Role.values else "",
        "q": request.GET.get("q", "").strip(),
        "active": request.GET.get("active", ""),
    }
    users = selectors.users_managed(user=request.user, **filters)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "roles": Role.choices}
    return render(request, "accounts/user_list.html", context)


@login_required
@manage_users
def user_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    decree_id = request.GET.get("decree")
    if decree_id and decree_id.isdigit():
        decree = selectors.decrees_managed(user=request.user).filter(pk=decree_id).first()
        if decree is not None:
            initial = {"decree": decree, "region_code": decree.region_id, "role": Role.OPERATOR}
    form = UserCreateForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = submit(
            form,
            services.user_create,
            actor=request.user,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            role=data["role"],
            region=data["region_code"],
            unit=data["unit"],
            decree=data["decree"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            invite=data["invite"],
        )
        if account is not None:
            return render(
                request,
                "accounts/user_created.html",
                {"account": account.user, "password": account.one_time_password},
            )
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@manage_users
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.user_managed_get(user=request.user, pk=pk)
    form = AssignmentFields(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = submit(
            form,
            services.assignment_create,
            actor=request.user,
            user=subject,
            role=data["role"],
            region=data["region_code"],
            unit=data["unit"],
            decree=data["decree"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )
        if assignment is not None:
            messages.success(request, _("The role was added."))
            return redirect("accounts:user", pk=subject.pk)
    assignments = subject.assignments.select_related("region", "unit", "decree").order_by(
        "-valid_to", "role"
    )
    current_ids = set(subject.assignments.current().values_list("pk", flat=True))
    context = {
        "subject": subject,
        "form": form,
        "assignments": assignments,
        "current_ids": current_ids,
    }
    return render(request, "accounts/user_detail.html", context)


def _user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    subject = selectors.user_managed_get(user=request.user, pk=pk)
    try:
        if action == "reset":
            password = services.user_password_reset(actor=request.user, user=subject)
            return render(
                request,
                "accounts/user_created.html",
                {"account": subject, "password": password, "reset": True},
            )
        if action == "deactivate":
            services.user_set_active(actor=request.user, user=subject, active=False)
            messages.success(request, _("The account is deactivated; its history is kept."))
        elif action == "activate":
            services.user_set_active(actor=request.user, user=subject, active=True)
            messages.success(request, _("The account is active again."))
        elif action == "reset-2fa":
            services.user_two_factor_reset(actor=request.user, user=subject)
            messages.success(
                request, _("The authenticator is removed; the next login sets up a new one.")
            )
        elif action == "unlock":
            services.user_unlock(actor=request.user, user=subject)
            messages.success(request, _("Failed logins are cleared; the user can log in again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:user", pk=subject.pk)


@login_required
@manage_users
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("reset", "deactivate", "activate", "unlock", "reset-2fa"):
        raise PermissionDenied
    return _user_action(request, pk, action)


@login_required
@manage_users
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "region"), pk=pk)
    selectors.user_managed_get(user=request.user, pk=assignment.user_id)
    services.assignment_end(actor=request.user, assignment=assignment)
    messages.success(request, _("The role was ended; it stays in the account's history."))
    return redirect("accounts:user", pk=assignment.user_id)


@login_required
@manage_users
def decree_list(request: HttpRequest) -> HttpResponse:
    decrees = selectors.decrees_managed(user=request.user)
    page = Paginator(decrees, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/decree_list.html", {"page": page})


@login_required
@manage_users
def decree_file(request: HttpRequest, pk: int) -> FileResponse:
    """The SK's PDF, only for admins of its region (it names people)."""
    decree = get_object_or_404(selectors.decrees_managed(user=request.user), pk=pk)
    return FileResponse(
        decree.file.open("rb"),
        content_type="application/pdf",
        filename=f"SK-{decree.region_id}-{decree.pk}.pdf",
    )


@login_required
@manage_users
def decree_create(request: HttpRequest) -> HttpResponse:
    form = DecreeForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decree = submit(
            form,
            services.decree_register,
            actor=request.user,
            region=data["region_code"],
            number=data["number"],
            decree_date=data["decree_date"],
            signed_by=data["signed_by"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            file=data["file"],
        )
        if decree is not None:
            messages.success(
                request,
                _("SK %(number)s is recorded. Now create the accounts it names.")
                % {"number": decree.number},
            )
            return redirect(f"{reverse_lazy('accounts:user_create')}?decree={decree.pk}")
    return render(request, "accounts/decree_form.html", {"form": form})


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sheet (.xlsx or .csv)"),
        help_text=gettext_lazy(
            "Columns: nama, username, email, peran, kode_wilayah, unit (optional), sk (optional)."
        ),
    )


IMPORT_SESSION_KEY = "accounts_import_sheet"


@login_required
@manage_users
def user_import(request: HttpRequest) -> HttpResponse:
    """Bulk accounts from a sheet: upload → dry-run preview → apply, all or nothing."""
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and request.POST.get("action") == "apply":
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("accounts:user_import")
        sheet = tabular.Sheet(**stored)
        report = services.users_import(actor=request.user, sheet=sheet, apply=True)
        if report.applied:
            del request.session[IMPORT_SESSION_KEY]
        return render(request, "accounts/user_import.html", {"form": None, "report": report})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheet = tabular.read_sheet(upload, name=upload.name)
        except tabular.SheetError as error:
            form.add_error("file", str(error))
        else:
            report = services.users_import(actor=request.user, sheet=sheet, apply=False)
            request.session[IMPORT_SESSION_KEY] = {
                "header": sheet.header,
                "rows": sheet.rows,
                "row_numbers": sheet.row_numbers,
            }
    return render(request, "accounts/user_import.html", {"form": form, "report": report})
