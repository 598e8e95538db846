"""Run a management command and turn configuration and connection failures into one sentence."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db.utils import OperationalError


class SetupError(Exception):
    """A problem the person running Aksi can fix; its message says how."""


def run(argv: list[str]) -> int:
    try:
        import django

        django.setup()
        _ensure_home()
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        _fail(f"Aksi is not configured correctly: {exc}")
        return 2
    except OperationalError as exc:
        _fail(database_problem(exc))
        return 2
    except SetupError as exc:
        _fail(str(exc))
        return 2
    return 0


def _ensure_home() -> None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and db["NAME"] != ":memory:":
        folder = Path(db["NAME"]).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SetupError(
                f"Aksi cannot create the folder {folder} for its SQLite database "
                f"({exc.strerror}). Set AKSI_HOME to a writable folder."
            ) from None


def database_problem(exc: Exception) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if db["ENGINE"].endswith("postgresql"):
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db.get('NAME')}"
        return (
            f"Aksi cannot reach the PostgreSQL database {where} ({first_line}). "
            "Check that the server is running and that DATABASE_URL is right, "
            "or unset DATABASE_URL to use the built-in SQLite file."
        )
    return (
        f"Aksi cannot open its SQLite database {db['NAME']} ({first_line}). "
        "Check that the folder exists and is writable, or set AKSI_HOME to another folder."
    )


def _fail(message: str) -> None:
    print(f"aksi: {message}", file=sys.stderr)
