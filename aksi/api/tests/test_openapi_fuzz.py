"""schemathesis against /api/v1/openapi.json: generated calls never get a server error, and
every answer matches the documented schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.api.services import access_token_create


@pytest.fixture
def token(db: None) -> str:
    # A kabupaten operator: reads in scope succeed, others answer 403; writes are validated.
    user = user_with_role("fuzz_operator", Role.OPERATOR, "35.19")
    return access_token_create(user=user, name="fuzz", days=1)[1]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    # Called through the WSGI handler, not Django's test client: without this, the end of each
    # request closes the database connection that holds the test's transaction (PostgreSQL).
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_rate_limit() -> Any:
    from aksi.api.v1 import api

    throttle = api.throttle[0]
    saved = (throttle.num_requests, throttle.duration)
    throttle.num_requests = 10**9
    yield
    throttle.num_requests, throttle.duration = saved


# The document is generated from the code: reading it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    # The same examples on every run: CI is reproducible; widen max_examples to explore.
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_answers_with_a_server_error(case: Any, token: str, db: None) -> None:
    case.call_and_validate(
        # identity: the in-process client does not decompress gzip answers.
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
    )
