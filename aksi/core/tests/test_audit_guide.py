from __future__ import annotations

from django.template.loader import render_to_string


def test_the_guide_section_renders_without_inline_style_or_script() -> None:
    body = render_to_string("guide/sections/audit.html")
    assert "<h2>Mengunduh CSV</h2>" in body
    assert "<h2>Riwayat sebuah akun</h2>" in body
    assert " style=" not in body
    assert "<script" not in body
