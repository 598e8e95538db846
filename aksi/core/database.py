"""Turn DATABASE_URL into Django's DATABASES setting, with a sentence when it is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED_ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgres",
}


def database_config(url: str, *, default_sqlite: Path, conn_max_age: int) -> dict[str, Any]:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            "OPTIONS": sqlite_options(),
        }
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address Aksi understands ({exc}). "
            "Use postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////absolute/path/aksi.sqlite3, "
            "or unset it to use the built-in SQLite file."
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL selects {engine or 'an unknown engine'}, which Aksi does not support. "
            "Use a postgres:// or sqlite:// address."
        )
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = sqlite_options()
    else:
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("connect_timeout", 5)
    return config


def sqlite_options() -> dict[str, Any]:
    # WAL lets readers continue while one writer saves; IMMEDIATE avoids lock upgrades failing.
    return {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
