"""What the DHIS2 endpoints share: data element codes, errors, the principal, paging."""

from __future__ import annotations

import math
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from aksi.api.auth import Principal, principal_from_request

NUM, DEN = "NUM", "DEN"
SIDE_OF = {NUM: "numerator", DEN: "denominator"}
CSV_COLUMNS = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
]
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
_CODE = re.compile(r"^(?P<code>.+)\.(?P<side>NUM|DEN)$")
TARGET_GROUP_PREFIX = "TG."
# What a data element that is not a coverage side is: a supporting item or a target group.
SUPPORTING, TARGET_GROUP = "supporting", "target_group"
_ASIDE = frozenset({SUPPORTING, TARGET_GROUP})
TRUE_WORDS, FALSE_WORDS = {"true", "1", "ya", "yes"}, {"false", "0", "tidak", "no"}


# --- helpers ---------------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _message(status: int, message: str) -> JsonResponse:
    names = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}
    names |= {405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large"}
    names |= {415: "Unsupported Media Type"}
    response = JsonResponse(
        {
            "httpStatus": names.get(status, "Error"),
            "httpStatusCode": status,
            "status": "ERROR",
            "message": message,
        },
        status=status,
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="Aksi", charset="UTF-8"'
    return response


def _principal(request: HttpRequest) -> Principal:
    principal = principal_from_request(request)
    if principal is None:
        raise ApiError(401, _("Authentication required: a valid token or user name and password."))
    if principal.token_id is None and "Authorization" not in request.headers:
        # A browser session writes only with its CSRF token, as every form does.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}):
                raise ApiError(403, _("CSRF check failed."))
    return principal


def _api_view(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return _message(400, _("A parameter contains a NUL character."))
        try:
            return view(request, *args, **kwargs)
        except ApiError as error:
            return _message(error.status, str(error))
        except PermissionDenied as denied:
            return _message(403, str(denied) or _("Not allowed."))
        except ValidationError as error:
            return _message(409, " ".join(error.messages))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def _wants_csv(request: HttpRequest, suffix: str) -> bool:
    if suffix:
        return suffix == "csv"
    return "text/csv" in request.headers.get("Accept", "")


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _pager(request: HttpRequest, total: int) -> tuple[dict[str, int], int, int] | None:
    if request.GET.get("paging", "").lower() == "false":
        return None
    try:
        page = max(1, int(request.GET.get("page", 1)))
        size = min(MAX_PAGE_SIZE, max(1, int(request.GET.get("pageSize", DEFAULT_PAGE_SIZE))))
    except ValueError:
        raise ApiError(400, _("page and pageSize are whole numbers.")) from None
    pages = max(1, math.ceil(total / size))
    return {"page": page, "pageCount": pages, "total": total, "pageSize": size}, page, size


def _paged(request: HttpRequest, queryset: QuerySet, key: str, item: Any) -> JsonResponse:
    total = queryset.count()
    pager = _pager(request, total)
    if pager is None:
        if total > settings.AKSI_API_MAX_UNPAGED:
            raise ApiError(
                400,
                _("%(total)s objects: too many without paging; use page and pageSize.")
                % {"total": total},
            )
        return JsonResponse({key: [item(obj) for obj in queryset]})
    meta, page, size = pager
    rows = queryset[(page - 1) * size : page * size]
    return JsonResponse({"pager": meta, key: [item(obj) for obj in rows]})
