from __future__ import annotations

from collections.abc import Callable

import pytest

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.services import coverage_value_save


@pytest.fixture
def operator(db: None) -> User:
    """Enters data anywhere in Kab. Madiun (35.19)."""
    return user_with_role("op_madiun", Role.OPERATOR, "35.19")


SaveValue = Callable[..., None]


@pytest.fixture
def save_value(operator: User) -> SaveValue:
    """save_value("35.19.01.2001", 40, 50, code="BL-01", period="2025")"""

    def _save(
        desa: str,
        numerator: int | None,
        denominator: int | None,
        *,
        code: str = "BL-01",
        period: str = "2025",
        version: int | None = None,
    ) -> None:
        coverage_value_save(
            actor=operator,
            indicator=Indicator.objects.get(catalogue__year=2025, code=code),
            region=Region.objects.get(code=desa),
            period=period,
            numerator=numerator,
            denominator=denominator,
            expected_version=version,
        )

    return _save


def in_english(client: object) -> None:
    """The header button's choice: the site ignores Accept-Language (aksi/core/middleware.py)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # type: ignore[attr-defined]
