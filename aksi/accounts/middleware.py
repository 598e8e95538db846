from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_WHILE_PENDING = ("password_change", "logout", "set_language")


class PasswordChangeRequiredMiddleware:
    """A user with a one-time password must set their own before doing anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in ALLOWED_WHILE_PENDING}
            if request.path not in allowed and not request.path.startswith(("/static/", "/i18n/")):
                return redirect(f"{reverse('password_change')}?next={request.get_full_path()}")
        return self.get_response(request)
