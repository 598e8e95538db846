"""DHIS2-compatible data exchange: organisationUnits, dataElements, dataSets, dataValueSets.

Identifiers are our codes whatever `idScheme` says (UID, CODE): regions by their Kemendagri
code (`52.03.07.2001`), data elements by the indicator code and the side of the ratio:
`RP-01.NUM` (numerator) and `RP-01.DEN` (denominator); a yes/no indicator has only `.NUM`
(BOOLEAN). Supporting data items (data pendukung) are data elements under their own code
(`DP-01`), target-group counts (data sasaran) under the group's code after `TG.`
(`TG.pregnant_woman`); a code ending in `.NUM` or `.DEN` is always a coverage side. The
parser sets supporting values and counts aside for their own services (`_exchange`), so the
coverage values stream on unchanged. Periods are DHIS2's: `2025`,
`2025S1`, `2025Q1`, `202507`. Organisation unit levels: 1 provinsi, 2 kabupaten/kota,
3 kecamatan, 4 desa/kelurahan.
"""

from __future__ import annotations

from aksi.api.dhis2.common import ApiError
from aksi.api.dhis2.metadata import (
    data_element_code,
    data_elements,
    data_set_code,
    data_sets,
    me,
    organisation_unit,
    organisation_units,
    supporting_element,
    target_group_element,
    target_group_element_code,
)
from aksi.api.dhis2.receive import data_value_sets
from aksi.api.dhis2.summary import import_summary

__all__ = [
    "ApiError",
    "data_element_code",
    "data_elements",
    "data_set_code",
    "data_sets",
    "data_value_sets",
    "import_summary",
    "me",
    "organisation_unit",
    "organisation_units",
    "supporting_element",
    "target_group_element",
    "target_group_element_code",
]
