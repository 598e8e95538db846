"""Benchmarks run by hand (`python -m benchmarks`), never by the test suite."""

from __future__ import annotations
