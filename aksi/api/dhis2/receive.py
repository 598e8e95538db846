"""POST dataValueSets: a JSON or CSV payload parsed as a stream and stored.

The dataValueSets view is here too; its GET streams what `export` reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import ijson
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aksi.api.dhis2.common import (
    _ASIDE,
    _CODE,
    CSV_COLUMNS,
    FALSE_WORDS,
    SIDE_OF,
    SUPPORTING,
    TARGET_GROUP,
    TARGET_GROUP_PREFIX,
    TRUE_WORDS,
    ApiError,
    _api_view,
    _bool,
    _principal,
    _wants_csv,
)
from aksi.api.dhis2.export import _export_rows, _stream_csv, _stream_json, _values_querysets
from aksi.api.dhis2.summary import import_summary
from aksi.catalogue.models import Indicator, SupportingItem
from aksi.core.read_ahead import read_ahead
from aksi.reporting.count_imports import target_group_counts_exchange
from aksi.reporting.exchange import (
    CREATE_AND_UPDATE,
    E_DATA_ELEMENT,
    STRATEGIES,
    ExchangeSummary,
    Incoming,
    values_exchange,
)
from aksi.reporting.models import Origin
from aksi.reporting.supporting.exchange import supporting_values_exchange


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
    """Which indicator codes are yes/no and which codes are supporting items (and of those,
    yes/no ones), read once per import before parsing starts; data element codes parsed once.

    The parser sets the supporting values and target-group counts it meets aside here
    (`supporting`, `counts`), for their services once the coverage values are stored.
    """

    def __init__(self) -> None:
        self.codes = set(Indicator.objects.filter(is_binary=True).values_list("code", flat=True))
        self.items: dict[str, bool] = {}  # supporting item code → yes/no (in any catalogue)
        for code, unit in SupportingItem.objects.values_list("code", "unit"):
            self.items[code] = self.items.get(code, False) or unit == SupportingItem.Unit.YES_NO
        self.elements: dict[str, tuple[str, str] | None] = {}
        self.supporting: list[Incoming] = []
        self.counts: list[Incoming] = []

    def element(self, element: str) -> tuple[str, str] | None:
        """(indicator code, side) of a data element code, (item code, SUPPORTING) or (target
        group code, TARGET_GROUP) when it is one of those, None when it is none of them."""
        try:
            return self.elements[element]
        except KeyError:
            match = _CODE.match(element)
            parsed = None if match is None else (match["code"], SIDE_OF[match["side"]])
            if parsed is None and element in self.items:
                parsed = (element, SUPPORTING)
            elif parsed is None and element.startswith(TARGET_GROUP_PREFIX):
                parsed = (element.removeprefix(TARGET_GROUP_PREFIX), TARGET_GROUP)
            if len(self.elements) < 10_000:
                self.elements[element] = parsed
            return parsed

    def set_aside(self, base: Incoming, kind: str, raw: dict[str, Any], deleted: Any) -> None:
        """Keep a supporting value or target-group count (`base` without its number yet)."""
        value = raw.get("value")
        try:
            base.numerator = _number(value, kind == SUPPORTING and self.items[base.indicator_code])
        except ValueError as error:
            base.error = _("%(value)s: %(reason)s") % {"value": value, "reason": error}
        base.delete = base.numerator is None or (
            deleted is not None and str(deleted).lower() == "true"
        )
        (self.supporting if kind == SUPPORTING else self.counts).append(base)


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
) -> Incoming | None:
    """The coverage value of `raw`; None for a supporting value or target-group count, which
    is set aside in `binaries` instead."""
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
            error=_(
                "%(element)s is not a data element (use CODE.NUM or CODE.DEN for coverage, a "
                "supporting item's code, or TG. and a target group's code)."
            )
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
    if side in _ASIDE:
        binaries.set_aside(base, side, raw, _field(raw, defaults, _DELETED))
        return None
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
                    incoming = _incoming(index, raw, defaults, binaries)
                    if incoming is not None:
                        yield incoming
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
                incoming = _incoming(index, builder.value, defaults, binaries)
                if incoming is not None:
                    yield incoming
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
            incoming = _incoming(number, raw, {}, binaries)
            if incoming is not None:
                yield incoming
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


def _exchange(
    *,
    actor: Any,
    binaries: _Binaries,
    incoming: Iterable[Incoming],
    strategy: str,
    dry_run: bool,
    atomic: bool,
) -> ExchangeSummary:
    """Store a data value set: the coverage values through `values_exchange` as they stream
    in, then the supporting values and target-group counts the parser set aside (few, next to
    coverage) through their own services, counted and listed in the same summary. One
    transaction holds them all, so a dry run or atomicMode=ALL covers the whole payload."""
    with transaction.atomic():
        summary = values_exchange(
            actor=actor,
            incoming=incoming,
            strategy=strategy,
            dry_run=dry_run,
            via=Origin.API,
            atomic=atomic,
        )
        # The parser thread has finished: values_exchange read every value it produced.
        if binaries.supporting:
            supporting_values_exchange(actor=actor, values=binaries.supporting, summary=summary)
        if binaries.counts:
            target_group_counts_exchange(actor=actor, values=binaries.counts, summary=summary)
        if dry_run:
            transaction.set_rollback(True)
        elif atomic and summary.conflict_count:
            transaction.set_rollback(True)
            summary.written, summary.rolled_back = 0, True
    return summary


@_api_view
@require_http_methods(["GET", "POST"])
def data_value_sets(request: HttpRequest, suffix: str = "") -> HttpResponse:
    principal = _principal(request)
    if request.method == "GET":
        rows = _export_rows(_values_querysets(request, principal))
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
    summary = _exchange(
        actor=principal.user,
        binaries=binaries,
        incoming=read_ahead(parse(stream, binaries)),
        strategy=strategy,
        dry_run=_bool(request.GET.get("dryRun")),
        atomic=(request.GET.get("atomicMode") or "NONE").upper() == "ALL",
    )
    body = import_summary(summary)
    return JsonResponse(body, status=body["httpStatusCode"])
