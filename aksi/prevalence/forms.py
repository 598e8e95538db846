from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aksi.prevalence import services


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            (services.ADMINISTRATIVE, _("e-PPGBM counts per desa (administrative)")),
            (services.SURVEY, _("SSGI/SKI survey prevalence per province or kab/kota")),
        ],
        widget=forms.RadioSelect,
        initial=services.ADMINISTRATIVE,
    )
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("The first row holds the column names; see the guide for the columns."),
    )
