"""Benchmarks (`python -m benchmarks`): by hand for figures, `--smoke` in CI (that they run)."""

from __future__ import annotations
