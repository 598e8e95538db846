"""DHIS2-compatible data exchange: organisationUnits, dataElements, dataSets, dataValueSets.

Identifiers are our codes whatever `idScheme` says (UID, CODE): regions by their Kemendagri
code (`52.03.07.2001`), data elements by the indicator code and the side of the ratio:
`RP-01.NUM` (numerator) and `RP-01.DEN` (denominator); a yes/no indicator has only `.NUM`
(BOOLEAN). Periods are DHIS2's: `2025`, `2025S1`, `2025Q1`, `202507`. Organisation unit levels:
1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

import ijson
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aksi.accounts.scopes import view_scope
from aksi.api.auth import Principal, principal_from_request
from aksi.catalogue.models import Indicator, IndicatorCatalogue
from aksi.core.read_ahead import read_ahead
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import DEPTH_LEVEL, LEVEL_DEPTH, Region
from aksi.regions.selectors import subtree_q
from aksi.reporting.exchange import (
    CREATE_AND_UPDATE,
    E_DATA_ELEMENT,
    STRATEGIES,
    Incoming,
    values_exchange,
)
from aksi.reporting.models import CoverageValue, Origin, ValueStatus

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


# --- metadata ----------------------------------------------------------------------------


def _path(code: str) -> str:
    parts = code.split(".")
    return "/" + "/".join(".".join(parts[:i]) for i in range(1, len(parts) + 1))


def _org_unit(region: Region) -> dict[str, Any]:
    return {
        "id": region.code,
        "code": region.code,
        "name": region.name,
        "displayName": region.name,
        "shortName": region.name[:50],
        "level": LEVEL_DEPTH.get(region.level),
        "path": _path(region.code),
        "parent": {"id": region.parent_id} if region.parent_id else None,
        "openingDate": region.valid_from.isoformat() if region.valid_from else None,
    }


_FILTER = re.compile(r"^(?P<field>[\w.]+):(?P<op>eq|in|ilike|like|\$ilike):(?P<value>.*)$")


def _region_filter(expression: str) -> Q:
    match = _FILTER.match(expression)
    if match is None:
        raise ApiError(400, _("Unsupported filter %(filter)s.") % {"filter": expression})
    field_name, op, value = match["field"], match["op"], match["value"]
    values = value.strip("[]").split(",") if op == "in" else [value]
    if field_name in {"id", "code"}:
        return Q(code__in=values)
    if field_name in {"parent.id", "parent.code"}:
        return Q(parent_id__in=values)
    if field_name == "level":
        try:
            return Q(level__in=[DEPTH_LEVEL[int(v)] for v in values])
        except (KeyError, ValueError):
            raise ApiError(400, _("Levels are 1 to 4.")) from None
    if field_name in {"name", "displayName"}:
        return Q(name__iexact=value) if op == "eq" else Q(name__icontains=value)
    if field_name == "path" and op in {"like", "ilike", "$ilike"}:
        return subtree_q(value.strip("/").split("/")[-1])
    raise ApiError(400, _("Unsupported filter %(filter)s.") % {"filter": expression})


@_api_view
@require_http_methods(["GET"])
def organisation_units(request: HttpRequest, suffix: str = "") -> HttpResponse:
    _principal(request)
    regions = Region.objects.filter(valid_to__isnull=True).order_by("code")
    for expression in request.GET.getlist("filter"):
        regions = regions.filter(_region_filter(expression))
    if request.GET.get("level"):
        regions = regions.filter(_region_filter(f"level:eq:{request.GET['level']}"))
    return _paged(request, regions, "organisationUnits", _org_unit)


@_api_view
@require_http_methods(["GET"])
def organisation_unit(request: HttpRequest, code: str, suffix: str = "") -> HttpResponse:
    _principal(request)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ApiError(404, _("No organisation unit %(code)s.") % {"code": code})
    return JsonResponse(_org_unit(region))


def _catalogue(request: HttpRequest) -> IndicatorCatalogue:
    catalogues = IndicatorCatalogue.objects.filter(status=IndicatorCatalogue.Status.PUBLISHED)
    year = request.GET.get("year")
    if year:
        found = catalogues.filter(year=year).first() if year.isdigit() else None
        if found is None:
            raise ApiError(404, _("No published catalogue for %(year)s.") % {"year": year})
        return found
    found = catalogues.order_by("-year").first()
    if found is None:
        raise ApiError(404, _("No published catalogue yet."))
    return found


def data_element_code(indicator: Indicator, side: str) -> str:
    return f"{indicator.code}.{side}"


def _data_elements(indicator: Indicator) -> list[dict[str, Any]]:
    sides = [NUM] if indicator.is_binary else [NUM, DEN]
    rows = []
    for side in sides:
        if side == NUM:
            label = _("numerator") if not indicator.is_binary else _("yes/no")
            definition = indicator.numerator_definition
        else:
            label, definition = _("denominator"), indicator.denominator_definition
        code = data_element_code(indicator, side)
        rows.append(
            {
                "id": code,
                "code": code,
                "name": f"{indicator.code} {indicator.name} ({label})",
                "shortName": f"{indicator.code} {label}"[:50],
                "description": definition,
                "valueType": "BOOLEAN" if indicator.is_binary else "INTEGER_ZERO_OR_POSITIVE",
                "aggregationType": "SUM",
                "domainType": "AGGREGATE",
                "periodType": "Yearly",
                "zeroIsSignificant": True,
                "indicator": {"code": indicator.code, "side": SIDE_OF[side]},
                "categoryCombo": {"id": "default"},
            }
        )
    return rows


@_api_view
@require_http_methods(["GET"])
def data_elements(request: HttpRequest, suffix: str = "") -> HttpResponse:
    _principal(request)
    catalogue = _catalogue(request)
    rows = [
        row
        for indicator in catalogue.indicators.order_by("order", "code")
        for row in _data_elements(indicator)
    ]
    return JsonResponse({"catalogue": catalogue.year, "dataElements": rows})


def data_set_code(year: int) -> str:
    return f"COVERAGE_{year}"


@_api_view
@require_http_methods(["GET"])
def data_sets(request: HttpRequest, suffix: str = "") -> HttpResponse:
    _principal(request)
    catalogues = IndicatorCatalogue.objects.filter(status=IndicatorCatalogue.Status.PUBLISHED)
    rows = []
    for catalogue in catalogues.order_by("year").prefetch_related("indicators"):
        elements = [
            {"dataElement": {"id": row["id"]}}
            for indicator in catalogue.indicators.all()
            for row in _data_elements(indicator)
        ]
        rows.append(
            {
                "id": data_set_code(catalogue.year),
                "code": data_set_code(catalogue.year),
                "name": _("Service coverage %(year)s") % {"year": catalogue.year},
                "periodType": "Yearly",
                "dataSetElements": elements,
            }
        )
    return JsonResponse({"dataSets": rows})


# --- reading data values ---------------------------------------------------------------------


def _value_text(number: int | None, binary: bool) -> str:
    if binary:
        return "true" if number else "false"
    return str(number)


def _export_rows(queryset: QuerySet) -> Iterator[dict[str, str]]:
    fields = (
        "indicator__code",
        "indicator__is_binary",
        "region_id",
        "period",
        "numerator",
        "denominator",
        "note",
        "updated_by__username",
        "updated_at",
    )
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        code, binary, region, period, numerator, denominator, note, user, updated = row
        sides = ((NUM, numerator),) if binary else ((NUM, numerator), (DEN, denominator))
        for side, number in sides:
            if number is None:
                continue
            yield {
                "dataElement": f"{code}.{side}",
                "period": period,
                "orgUnit": region,
                "categoryOptionCombo": "default",
                "attributeOptionCombo": "default",
                "value": _value_text(number, binary),
                "storedBy": user or "",
                "lastUpdated": updated.isoformat(timespec="seconds"),
                "comment": note,
                "followup": "false",
            }


def _values_queryset(request: HttpRequest, principal: Principal) -> QuerySet:
    params = request.GET
    org_units = [c for v in params.getlist("orgUnit") for c in v.split(",") if c]
    if not org_units:
        raise ApiError(409, _("At least one orgUnit must be specified."))
    periods = [p for v in params.getlist("period") for p in v.split(",") if p]
    data_sets_asked = [d for v in params.getlist("dataSet") for d in v.split(",") if d]
    elements = [e for v in params.getlist("dataElement") for e in v.split(",") if e]
    if not (periods or params.get("startDate") or params.get("lastUpdated")):
        raise ApiError(409, _("At least one period, startDate or lastUpdated must be specified."))
    scope = view_scope(principal.user)
    children = _bool(params.get("children"))
    where = Q()
    for code in org_units:
        if not scope.covers(code):
            raise ApiError(403, _("%(code)s is outside the regions you may see.") % {"code": code})
        where |= (
            subtree_q(code, prefix="region__") | Q(region_id=code)
            if children
            else Q(region_id=code)
        )
    values = CoverageValue.objects.filter(where, status=ValueStatus.VALUE)
    try:
        parsed = [parse_period(p) for p in periods]
    except PeriodError as error:
        raise ApiError(409, str(error)) from None
    if parsed:
        values = values.filter(period__in=[p.code for p in parsed])
    if params.get("startDate") or params.get("endDate"):
        years = range(
            int((params.get("startDate") or "2000")[:4]),
            int((params.get("endDate") or "2100")[:4]) + 1,
        )
        values = values.filter(indicator__catalogue__year__in=list(years))
    if data_sets_asked:
        years_asked = [d.removeprefix("COVERAGE_") for d in data_sets_asked]
        values = values.filter(
            indicator__catalogue__year__in=[y for y in years_asked if y.isdigit()]
        )
    if elements:
        codes = {(_CODE.match(e) or {"code": e})["code"] for e in elements}
        values = values.filter(indicator__code__in=codes)
    if params.get("lastUpdated"):
        values = values.filter(updated_at__date__gte=params["lastUpdated"][:10])
    return values.order_by("region_id", "period", "indicator__code")


def _stream_json(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    yield '{"dataValues":['
    first = True
    for row in rows:
        yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}"


def _stream_csv(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    keys = ["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo"]
    keys += ["value", "storedBy", "lastUpdated", "comment", "followup"]
    for count, row in enumerate(rows, start=1):
        writer.writerow([row[k] for k in keys] + ["false"])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- receiving data values -------------------------------------------------------------------


def _number(raw: Any, binary: bool) -> int | None:
    """A machine-format value: digits only (DHIS2 sends strings), `true`/`false` for yes/no."""
    if raw is None:
        return None
    if type(raw) is str and raw.isascii() and raw.isdigit():
        return int(raw)  # the common case, first
    if isinstance(raw, bool):
        if binary:
            return int(raw)
        raise ValueError(_("not a whole number"))
    if isinstance(raw, int):
        if raw < 0:
            raise ValueError(_("a count cannot be negative"))
        return raw
    text = str(raw).strip()
    if text == "":
        return None
    if binary and text.lower() in TRUE_WORDS | FALSE_WORDS:
        return 1 if text.lower() in TRUE_WORDS else 0
    if text.isdigit():
        return int(text)
    if text.startswith("-") and text[1:].isdigit():
        raise ValueError(_("a count cannot be negative"))
    raise ValueError(_("not a whole number"))


class _Binaries:
    """Which indicator codes are yes/no, read once per import; data element codes parsed once."""

    def __init__(self) -> None:
        self.codes = set(Indicator.objects.filter(is_binary=True).values_list("code", flat=True))
        self.elements: dict[str, tuple[str, str] | None] = {}

    def element(self, element: str) -> tuple[str, str] | None:
        """(indicator code, side) of a data element code, None when it is not one."""
        try:
            return self.elements[element]
        except KeyError:
            match = _CODE.match(element)
            parsed = None if match is None else (match["code"], SIDE_OF[match["side"]])
            if len(self.elements) < 10_000:
                self.elements[element] = parsed
            return parsed


def _field(raw: dict[str, Any], defaults: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first of `names` the value gives, else the set gives (blank counts as not given)."""
    for name in names:
        value = raw.get(name)
        if value is not None and value != "":
            return value
        value = defaults.get(name)
        if value is not None and value != "":
            return value
    return None


_ELEMENT, _ORG_UNIT = ("dataElement", "dataelement"), ("orgUnit", "orgunit")
_PERIOD, _COMMENT, _DELETED = ("period",), ("comment",), ("deleted",)


def _incoming(
    index: int, raw: dict[str, Any], defaults: dict[str, Any], binaries: _Binaries
) -> Incoming:
    element = str(_field(raw, defaults, _ELEMENT) or "")
    region = str(_field(raw, defaults, _ORG_UNIT) or "")
    period = str(_field(raw, defaults, _PERIOD) or "")
    parsed = binaries.element(element)
    if parsed is None:
        return Incoming(
            index=index,
            object=element,
            indicator_code="",
            region_code=region,
            period=period,
            error=_("%(element)s is not a data element (use CODE.NUM or CODE.DEN).")
            % {"element": element or "—"},
            error_code=E_DATA_ELEMENT,
            error_property="dataElement",
        )
    code, side = parsed
    comment = _field(raw, defaults, _COMMENT)
    base = Incoming(
        index=index,
        object=element,
        indicator_code=code,
        region_code=region,
        period=period,
        sides=(side,),
        comment=None if comment is None else str(comment),
    )
    binary = code in binaries.codes
    if binary and side == "denominator":
        base.error = _("%(code)s is yes/no: it has no denominator.") % {"code": code}
        base.error_code, base.error_property = E_DATA_ELEMENT, "dataElement"
        return base
    value = raw.get("value")
    try:
        number = _number(value, binary)
    except ValueError as error:
        base.error = _("%(value)s: %(reason)s") % {"value": value, "reason": error}
        return base
    deleted = _field(raw, defaults, _DELETED)
    base.delete = number is None or (deleted is not None and str(deleted).lower() == "true")
    if side == "numerator":
        base.numerator = number
    else:
        base.denominator = number
    return base


DEFAULT_KEYS = frozenset({"period", "orgUnit", "dataSet", "attributeOptionCombo"})
# How much of a JSON body is read ahead for the set-level keys before `dataValues`.
PRELUDE_BYTES = 1024 * 1024


class _Replay(io.RawIOBase):
    """The bytes already read from a stream, then the rest of it."""

    def __init__(self, head: bytes, rest: Any) -> None:
        super().__init__()
        self.head, self.rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        return self.rest.readinto(buffer)


def _prelude(stream: Any) -> tuple[bytes, dict[str, Any], bool]:
    """Read the body up to the start of `dataValues` (at most about PRELUDE_BYTES): the bytes
    read, the set-level keys before it, and whether it was found."""
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events, use_float=True)
    head = bytearray()
    defaults: dict[str, Any] = {}
    while len(head) <= PRELUDE_BYTES:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        head += chunk
        parser.send(chunk)
        for prefix, event, value in events:
            if prefix == "dataValues" and event == "start_array":
                return bytes(head), defaults, True
            if prefix in DEFAULT_KEYS and event in {"string", "number"}:
                defaults[prefix] = value
        del events[:]
    return bytes(head), defaults, False


def _json_values(stream: Any, binaries: _Binaries) -> Iterator[Incoming]:
    """Data values from a DHIS2 JSON payload, parsed as a stream (constant memory).

    Set-level `period`, `orgUnit`, `attributeOptionCombo` apply to values without their own;
    they must come before `dataValues`, as DHIS2 writes them. The values themselves are built
    by ijson's C parser (`items`) once the keys before them are known.
    """
    try:
        head, defaults, found = _prelude(stream)
        body = _Replay(head, stream)
        if found:
            index = 0
            for raw in ijson.items(body, "dataValues.item", use_float=True):
                if isinstance(raw, dict):
                    yield _incoming(index, raw, defaults, binaries)
                    index += 1
            return
        yield from _json_values_by_event(body, binaries)
    except ijson.JSONError as error:
        raise ApiError(400, _("The body is not valid JSON: %(error)s") % {"error": error}) from None


def _json_values_by_event(stream: Any, binaries: _Binaries) -> Iterator[Incoming]:
    """`_json_values` event by event, for a body whose `dataValues` come late or not at all."""
    defaults: dict[str, Any] = {}
    builder: ijson.ObjectBuilder | None = None
    index = 0
    for prefix, event, value in ijson.parse(stream, use_float=True):
        if builder is not None:
            if prefix == "dataValues.item" and event == "end_map":
                yield _incoming(index, builder.value, defaults, binaries)
                index += 1
                builder = None
            else:
                builder.event(event, value)
            continue
        if prefix == "dataValues.item" and event == "start_map":
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
        elif prefix in DEFAULT_KEYS:
            if event in {"string", "number"}:
                defaults[prefix] = value


def _csv_values(stream: Any, binaries: _Binaries) -> Iterator[Incoming]:
    text = io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    header = CSV_COLUMNS
    try:
        for number, row in enumerate(reader):
            if not any(cell.strip() for cell in row):
                continue
            if number == 0 and row and row[0].strip().lower().replace("_", "") == "dataelement":
                header = [cell.strip().lower().replace("_", "") for cell in row]
                continue
            raw = dict(zip(header, row, strict=False))
            yield _incoming(number, raw, {}, binaries)
    except (csv.Error, UnicodeDecodeError) as error:
        raise ApiError(
            400, _("The body is not a readable CSV file: %(error)s") % {"error": error}
        ) from None


class _LimitedStream(io.RawIOBase):
    """The request body, refused once it grows past the API's size limit."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__()
        self.request, self.limit, self.read_bytes = request, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.request.read(len(buffer))
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise ApiError(
                413,
                _("The payload is larger than %(mb)s MB; send it in parts.")
                % {"mb": self.limit // (1024 * 1024)},
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


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


@_api_view
@require_http_methods(["GET", "POST"])
def data_value_sets(request: HttpRequest, suffix: str = "") -> HttpResponse:
    principal = _principal(request)
    if request.method == "GET":
        rows = _export_rows(_values_queryset(request, principal))
        if _wants_csv(request, suffix):
            response = StreamingHttpResponse(_stream_csv(rows), content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="dataValueSets.csv"'
            return response
        return StreamingHttpResponse(_stream_json(rows), content_type="application/json")
    content_type = request.content_type or ""
    if content_type not in {"application/json", "text/csv", "application/csv"}:
        raise ApiError(
            415,
            _("Send application/json or text/csv, not %(type)s.") % {"type": content_type or "—"},
        )
    if int(request.headers.get("Content-Length") or 0) > settings.AKSI_API_MAX_BYTES:
        raise ApiError(
            413,
            _("The payload is larger than %(mb)s MB; send it in parts.")
            % {"mb": settings.AKSI_API_MAX_BYTES // (1024 * 1024)},
        )
    strategy = (request.GET.get("importStrategy") or CREATE_AND_UPDATE).upper()
    if strategy not in STRATEGIES:
        raise ApiError(
            409,
            _("importStrategy is one of %(names)s.") % {"names": ", ".join(STRATEGIES)},
        )
    stream = _LimitedStream(request, settings.AKSI_API_MAX_BYTES)
    binaries = _Binaries()
    parse = _json_values if content_type == "application/json" else _csv_values
    summary = values_exchange(
        actor=principal.user,
        incoming=read_ahead(parse(stream, binaries)),
        strategy=strategy,
        dry_run=_bool(request.GET.get("dryRun")),
        via=Origin.API,
        atomic=(request.GET.get("atomicMode") or "NONE").upper() == "ALL",
    )
    body = import_summary(summary)
    return JsonResponse(body, status=body["httpStatusCode"])


@_api_view
@require_http_methods(["GET"])
def me(request: HttpRequest, suffix: str = "") -> HttpResponse:
    principal = _principal(request)
    user = principal.user
    scope = view_scope(user)
    return JsonResponse(
        {
            "id": user.pk,
            "username": user.get_username(),
            "name": user.get_full_name(),
            "organisationUnits": [{"id": code} for code in scope.roots]
            if not scope.national
            else [{"id": "ID", "name": "Indonesia"}],
        }
    )
