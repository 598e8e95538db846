"""Helpers shared by the catalogue services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from aksi.catalogue.models import Pillar, TargetGroup
from aksi.catalogue.rules import MANAGE_CATALOGUE

# How many individual changes a load keeps in its audit row (a first load creates ~130 rows).
AUDIT_CHANGE_LIMIT = 500


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, TargetGroup | Pillar):
        return value.code
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def require_manager(actor: Any) -> None:
    if actor is None or not actor.has_perm(MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only central administrators may change the catalogue."))
