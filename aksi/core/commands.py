"""Sub-commands (`aksi regions import`) that still accept Django's common options after them."""

from __future__ import annotations

import argparse
from typing import Any


def subcommands(parser: argparse.ArgumentParser) -> Any:
    """add_subparsers whose sub-parsers also take -v/--verbosity (`aksi regions import -v0`)."""
    sub = parser.add_subparsers(dest="action", required=True)
    original = sub.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        child = original(name, **kwargs)
        child.add_argument(
            "-v",
            "--verbosity",
            type=int,
            choices=[0, 1, 2, 3],
            default=argparse.SUPPRESS,
            help="Verbosity level; 0 = minimal output.",
        )
        return child

    sub.add_parser = add_parser  # type: ignore[method-assign]
    return sub
