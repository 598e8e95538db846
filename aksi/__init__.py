"""Aksi: monitoring platform for Indonesia's stunting convergence actions."""

from __future__ import annotations

__version__ = "0.1.0"
