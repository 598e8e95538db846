"""The `aksi` command: Django's management commands with Aksi's settings preset."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aksi.settings")
    from aksi.core.cli import run

    sys.exit(run(argv if argv is not None else sys.argv))


if __name__ == "__main__":
    main()
