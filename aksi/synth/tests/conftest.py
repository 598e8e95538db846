from __future__ import annotations

import pytest

from aksi.synth import services
from aksi.synth.services import SynthResult

# Kabupaten Madiun: 15 kecamatan, about 200 desa, 11,000 values. Small enough for every run.
DISTRICT = "35.19"


@pytest.fixture
def madiun(db: None) -> SynthResult:
    return services.synth_generate(size="kabupaten", region_code=DISTRICT, seed=7)
