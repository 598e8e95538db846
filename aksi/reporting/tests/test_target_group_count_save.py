from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import TargetGroup
from aksi.regions.models import Region
from aksi.reporting import services
from aksi.reporting.models import CountSource, TargetGroupCount
from aksi.review import services as review_services
from aksi.review.locks import ValuesLocked

DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def _save(actor: User, count: int | None, **kw: Any) -> services.CountSaveResult:
    return services.target_group_count_save(
        actor=actor,
        target_group=TargetGroup.objects.get(code=kw.pop("group", "child_under_five")),
        region=Region.objects.get(code=kw.pop("code", DESA)),
        period=kw.pop("period", "2025"),
        count=count,
        **kw,
    )


def test_it_saves_a_count_with_its_history(operator: User) -> None:
    _save(operator, 120)
    result = _save(operator, 125, expected_version=1)
    assert result.changed
    value = TargetGroupCount.objects.get()
    assert (value.count, value.version, value.source, value.updated_by) == (
        125,
        2,
        CountSource.ENTERED,
        operator,
    )
    history = [(c.old_count, c.new_count, c.actor_id) for c in value.changes.all()]
    assert history == [(120, 125, operator.pk), (None, 120, operator.pk)]


def test_an_unchanged_count_writes_no_history(operator: User) -> None:
    _save(operator, 120)
    assert not _save(operator, 120).changed
    assert TargetGroupCount.objects.get().changes.count() == 1


def test_it_refuses_a_negative_count(operator: User, english: Any) -> None:
    with pytest.raises(ValidationError, match="cannot be negative"):
        _save(operator, -1)
    assert not TargetGroupCount.objects.exists()


def test_it_refuses_a_count_for_a_kecamatan(operator: User, english: Any) -> None:
    with pytest.raises(ValidationError, match="per village"):
        _save(operator, 10, code="35.19.01")


def test_it_refuses_a_desa_outside_the_entry_scope(outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        _save(outsider, 10)
    assert not TargetGroupCount.objects.exists()


def test_a_stale_version_raises_a_conflict_carrying_the_saved_count(operator: User) -> None:
    _save(operator, 120)
    _save(operator, 130, expected_version=1)
    with pytest.raises(services.CountConflictError) as conflict:
        _save(operator, 140, expected_version=1)
    assert conflict.value.current.count == 130
    assert TargetGroupCount.objects.get().count == 130


def test_a_submitted_kecamatan_locks_its_counts(operator: User) -> None:
    _save(operator, 120)
    review_services.submission_submit(
        actor=operator, region=Region.objects.get(code="35.19.01"), period="2025"
    )
    with pytest.raises(ValuesLocked):
        _save(operator, 121, expected_version=1)
    assert TargetGroupCount.objects.get().count == 120
