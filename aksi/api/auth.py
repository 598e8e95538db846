"""Who an API call acts as: a personal access token, HTTP Basic, or the browser session.

Every way ends in the same user, whose own scopes apply. Failures answer 401 and never say
whether the account exists.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest

from aksi.accounts.middleware import two_factor_required
from aksi.api.services import access_token_user


@dataclass(frozen=True)
class Principal:
    user: Any
    token_id: int | None = None

    def __str__(self) -> str:
        # The rate limit counts per token, and per user for Basic and session calls.
        return f"token:{self.token_id}" if self.token_id else f"user:{self.user.pk}"


def _header_credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return (scheme.lower(), value.strip()) if value else None


def principal_from_request(request: HttpRequest) -> Principal | None:
    credentials = _header_credentials(request)
    if credentials is None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.must_change_password:
            return Principal(user=user)
        return None
    scheme, value = credentials
    if scheme in {"bearer", "apitoken", "token"}:
        found = access_token_user(value)
        if found is None:
            return None
        user, token = found
        request.user = user
        return Principal(user=user, token_id=token.pk)
    if scheme == "basic":
        try:
            username, _, password = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user = authenticate(request, username=username, password=password)
        # Admins who must use two-factor login use a token made after their two-factor login.
        if user is None or user.must_change_password or two_factor_required(user):
            return None
        request.user = user
        return Principal(user=user)
    return None
