"""Whether reported values may still change: a submitted or verified submission locks them.

Every writer of values (the entry grid, the Excel import, the API) calls
`assert_values_editable` before it writes; keep the names and signatures stable.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from aksi.regions.models import Level, Region
from aksi.review.models import Submission


class ValuesLocked(PermissionDenied):
    """The values are under a submitted or verified submission."""


def _lock_codes(region: Region) -> list[str]:
    # A desa value is locked by its kecamatan's submission; any other value by its own region's.
    codes = [region.code]
    if region.level == Level.VILLAGE and region.parent_id:
        codes.append(region.parent_id)
    return codes


def _locking(*, region: Region, period: str) -> Submission | None:
    return (
        Submission.objects.filter(
            region_id__in=_lock_codes(region), period=period, status__in=Submission.LOCKING
        )
        .select_related("region")
        .first()
    )


def lock_region_values(region: Region) -> None:
    """Serialise the value writers of a kecamatan (or region) with its submission.

    Writers and `submission_submit` take this row lock first, so on PostgreSQL no value can
    slip in while a submit commits, even before the submission row exists. (SQLite already
    runs one writer at a time.) Call inside the write's transaction.
    """
    codes = _lock_codes(region)
    list(Region.objects.select_for_update().filter(code=codes[-1]).values_list("code", flat=True))


def values_locked(*, region: Region, period: str) -> bool:
    return _locking(region=region, period=period) is not None


def _message(submission: Submission, period: str) -> str:
    if submission.status == Submission.Status.VERIFIED:
        message = _(
            "The data of %(region)s for %(period)s have been verified and are locked. "
            "Ask the verifier to reopen them."
        )
    else:
        message = _(
            "The data of %(region)s for %(period)s have been submitted and are locked "
            "until the verifier returns them."
        )
    return message % {"region": submission.region.name, "period": period}


def locked_regions(*, codes: list[str], period: str) -> dict[str, str]:
    """Of these kecamatan (or other regions), the locked ones and why, in two queries; takes
    their row locks first, as `assert_values_editable` does (call inside the write's
    transaction). For a writer of many kecamatan at once (a kabupaten's Excel file)."""
    list(Region.objects.select_for_update().filter(code__in=codes).values_list("code", flat=True))
    submissions = Submission.objects.filter(
        region_id__in=codes, period=period, status__in=Submission.LOCKING
    ).select_related("region")
    return {s.region_id: _message(s, period) for s in submissions}


def assert_values_editable(*, region: Region, period: str) -> None:
    """Raise ValuesLocked (a PermissionDenied) when a submission locks the region's values.

    Takes the region's row lock first (`lock_region_values`): call inside the write's transaction.
    """
    lock_region_values(region)
    submission = _locking(region=region, period=period)
    if submission is None:
        return
    raise ValuesLocked(_message(submission, period))
