"""The guide's section on the penilaian kinerja: listed, rendered, its screenshots shipped."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

from aksi.guide.sections import SECTIONS_BY_SLUG

STATIC = Path(__file__).resolve().parents[1] / "static"


def test_the_assessment_section_opens_with_its_screenshots(client: Client, db: None) -> None:
    assert SECTIONS_BY_SLUG["penilaian-kinerja"].title == "Penilaian kinerja kab/kota"
    response = client.get("/guide/penilaian-kinerja/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h2>Cara nilai dihitung</h2>" in body
    assert " style=" not in body
    images = re.findall(r'<img src="/static/([^"]+)" alt="[^"]+"', body)
    assert images == [
        "guide/screenshots/assessment-scoring.png",
        "guide/screenshots/assessment-results.png",
    ]
    for image in images:
        assert (STATIC / image).is_file(), image
