"""`/api/v1/` (django-ninja) and the DHIS2-compatible endpoints beside it under `/api/`."""

from __future__ import annotations

from django.urls import path, re_path

from aksi.api import dhis2
from aksi.api.v1 import api

SUFFIX = r"(?:\.(?P<suffix>json|csv))?$"

urlpatterns = [
    path("v1/", api.urls),
    re_path(rf"^dataValueSets{SUFFIX}", dhis2.data_value_sets, name="dhis2-data-value-sets"),
    re_path(rf"^dataElements{SUFFIX}", dhis2.data_elements, name="dhis2-data-elements"),
    re_path(rf"^dataSets{SUFFIX}", dhis2.data_sets, name="dhis2-data-sets"),
    re_path(
        rf"^organisationUnits{SUFFIX}", dhis2.organisation_units, name="dhis2-organisation-units"
    ),
    re_path(
        rf"^organisationUnits/(?P<code>[0-9.]+){SUFFIX}",
        dhis2.organisation_unit,
        name="dhis2-organisation-unit",
    ),
    re_path(rf"^me{SUFFIX}", dhis2.me, name="dhis2-me"),
]
