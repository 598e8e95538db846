"""The answer to a data value set received: DHIS2's import summary."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def import_summary(summary: Any) -> dict[str, Any]:
    """DHIS2's import summary (WebMessage with an ImportSummary response)."""
    ok = summary.status == "SUCCESS"
    return {
        "httpStatus": "OK" if ok else "Conflict",
        "httpStatusCode": 200 if ok else 409,
        "status": "OK" if ok else summary.status,
        "message": _("Import was successful.")
        if ok
        else _("One or more conflicts encountered, please check import summary."),
        "response": {
            "responseType": "ImportSummary",
            "status": summary.status,
            "importOptions": {
                "idSchemes": {"idScheme": "CODE"},
                "dryRun": summary.dry_run,
                "importStrategy": summary.strategy,
            },
            "description": _("Import process completed successfully"),
            "importCount": {
                "imported": summary.imported,
                "updated": summary.updated,
                "ignored": summary.ignored,
                "deleted": summary.deleted,
            },
            "conflicts": [conflict.as_dict() for conflict in summary.conflicts],
            "conflictCount": summary.conflict_count,
            "rejectedIndexes": sorted(i for c in summary.conflicts for i in c.indexes),
            "dataSetComplete": "false",
        },
    }
