from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation


@pytest.fixture
def english() -> Any:
    """Service messages asserted in English (the msgids), whatever the default language."""
    with translation.override("en"):
        yield
