from __future__ import annotations

from aksi.accounts.models import User
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region
from aksi.review import services


def test_every_transition_writes_an_audit_row(
    kecamatan: Region, kecamatan_operator: User, district_verifier: User
) -> None:
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025", note="first"
    )
    services.submission_return(submission=submission, actor=district_verifier, reason="why")
    services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")
    services.submission_verify(submission=submission, actor=district_verifier)
    services.submission_reopen(submission=submission, actor=district_verifier, reason="fix")
    events = list(
        AuditEvent.objects.filter(target_type="review.submission", target_id=str(submission.pk))
        .order_by("id")
        .values_list("event_type", "actor__username", "region_code", "data")
    )
    assert [(e[0], e[1], e[2]) for e in events] == [
        (AuditEventType.SUBMISSION_SUBMITTED, "op_kebonsari", "35.19.01"),
        (AuditEventType.SUBMISSION_RETURNED, "ver_madiun", "35.19.01"),
        (AuditEventType.SUBMISSION_SUBMITTED, "op_kebonsari", "35.19.01"),
        (AuditEventType.SUBMISSION_VERIFIED, "ver_madiun", "35.19.01"),
        (AuditEventType.SUBMISSION_REOPENED, "ver_madiun", "35.19.01"),
    ]
    assert events[1][3] == {"from": "submitted", "to": "returned", "period": "2025", "note": "why"}


def test_a_refused_transition_writes_no_audit_row(
    kecamatan: Region, kecamatan_operator: User, kecamatan_verifier: User
) -> None:
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    try:
        services.submission_verify(submission=submission, actor=kecamatan_verifier)
    except Exception:  # noqa: BLE001 - PermissionDenied, asserted elsewhere
        pass
    assert not AuditEvent.objects.filter(event_type=AuditEventType.SUBMISSION_VERIFIED).exists()
