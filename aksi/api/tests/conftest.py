from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.api.services import access_token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    # Rate-limit counters live in the cache and token ids repeat from test to test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english() -> Any:
    """API messages asserted in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def kebonsari_operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def token_client(user: User) -> Client:
    _token, secret = access_token_create(user=user, name="test", days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")


def basic_client(username: str, password: str = "correct horse battery") -> Client:
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
    return Client(HTTP_AUTHORIZATION=f"Basic {credentials}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api(kebonsari_operator: User) -> Client:
    return token_client(kebonsari_operator)
