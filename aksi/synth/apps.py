from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynthConfig(AppConfig):
    name = "aksi.synth"
    label = "synth"
    verbose_name = _("Synthetic data")
