"""/healthz: the load balancer's and the operator's first check."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_it_reports_the_database_ok(page: Page) -> None:
    response = page.request.get("/healthz")

    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] == "sqlite"
    assert "no-cache" in response.headers.get("cache-control", "")
