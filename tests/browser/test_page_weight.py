"""Page weight: officers in the regions work on slow, metered connections."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Request

pytestmark = pytest.mark.browser

BUDGET = 300 * 1024  # bytes on a cold first load, all requests included
PAGES = ["/", "/regions/", "/regions/52.03/", "/catalogue/", "/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_it_stays_under_300_kb_on_a_cold_load(
    new_context: Callable[..., BrowserContext], page_weight_report: list[str], path: str
) -> None:
    page = new_context().new_page()  # a fresh context: empty cache, no cookies
    finished: list[Request] = []
    failed: list[str] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda request: failed.append(request.url))

    response = page.goto(path, wait_until="networkidle")

    assert response is not None
    assert response.ok
    assert not failed, f"requests failed: {failed}"
    sizes = {request.url: request.sizes() for request in finished}
    body = sum(s["responseBodySize"] for s in sizes.values())
    headers = sum(s["responseHeadersSize"] for s in sizes.values())
    total = body + headers
    detail = ", ".join(
        f"{url.split('/', 3)[-1] or '/'} {s['responseBodySize'] / 1024:.1f}"
        for url, s in sizes.items()
    )
    page_weight_report.append(
        f"{path:<16} {total / 1024:6.1f} KB in {len(sizes)} requests "
        f"(bodies {body / 1024:.1f} KB, headers {headers / 1024:.1f} KB): {detail}"
    )
    assert total < BUDGET, f"{path} weighs {total / 1024:.1f} KB: {detail}"
