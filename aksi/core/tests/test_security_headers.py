from __future__ import annotations

from django.test import Client


def test_it_sends_a_strict_content_security_policy_and_frame_denial(
    client: Client, db: None
) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_has_no_inline_script_in_its_pages(client: Client, db: None) -> None:
    for path in ["/", "/regions/", "/regions/35.19/", "/login/", "/guide/"]:
        body = client.get(path).content.decode()
        for chunk in body.split("<script")[1:]:
            assert chunk.lstrip().startswith("src=") or " src=" in chunk.split(">")[0], path
        assert " style=" not in body, path
