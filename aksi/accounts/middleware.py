from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from aksi.accounts.scopes import held_roles

OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz")


def _allowed(request: HttpRequest, names: tuple[str, ...]) -> bool:
    return request.path in {reverse(name) for name in names} or request.path.startswith(
        OPEN_PREFIXES
    )


class PasswordChangeRequiredMiddleware:
    """A user with a one-time password must set their own before doing anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            if not _allowed(request, ("password_change", "logout")):
                return redirect(f"{reverse('password_change')}?next={request.get_full_path()}")
        return self.get_response(request)


def two_factor_required(user: object) -> bool:
    if not settings.AKSI_TWO_FACTOR_REQUIRED:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(held_roles(user) & set(settings.AKSI_TWO_FACTOR_ROLES))


class TwoFactorRequiredMiddleware:
    """Admins confirm each login with an authenticator code; a first login sets one up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.must_change_password
            and not user.is_verified()
            and two_factor_required(user)
            and not _allowed(request, ("two_factor_verify", "two_factor_setup", "logout"))
        ):
            from django_otp import user_has_device

            target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
