from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrevalenceConfig(AppConfig):
    name = "aksi.prevalence"
    label = "prevalence"
    verbose_name = _("Prevalence")
