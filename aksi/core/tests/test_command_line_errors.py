"""The `aksi` command explains configuration problems in one sentence, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

AKSI = [sys.executable, "-m", "aksi"]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(env)
    return subprocess.run(
        [*AKSI, *args], capture_output=True, text=True, env=environment, timeout=120
    )


def _assert_one_clear_sentence(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for phrase in phrases:
        assert phrase in lines[0]


def test_it_explains_a_database_url_it_does_not_understand() -> None:
    result = _run(["check"], DATABASE_URL="mysqlx://nobody@nowhere/aksi")
    _assert_one_clear_sentence(result, "DATABASE_URL", "postgres://")


def test_it_explains_an_unreachable_postgresql_server() -> None:
    result = _run(["migrate", "--check"], DATABASE_URL="postgres://aksi@127.0.0.1:9/aksi")
    _assert_one_clear_sentence(result, "cannot reach the PostgreSQL database 127.0.0.1:9/aksi")


def test_it_explains_an_unwritable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = _run(["migrate", "--check"], AKSI_HOME=str(blocker / "var"))
    _assert_one_clear_sentence(result, "AKSI_HOME")


@pytest.mark.parametrize("value", ["yes", "1"])
def test_it_refuses_a_loose_boolean_setting(value: str) -> None:
    result = _run(["check"], DEBUG=value)
    _assert_one_clear_sentence(result, "DEBUG must be 'true' or 'false'")
