"""The REST API, version 1 (`/api/v1/`): thin over the selectors and services.

Authentication: a personal access token (`Authorization: Bearer aksi_pat_…`), HTTP Basic, or
the browser session (writes then need the CSRF token). Every call acts as the user, with the
user's own view and entry scopes. Errors share one body: `{"detail": "...", "errors": [...]}`.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import APIKeyCookie, HttpBasicAuth, HttpBearer
from ninja.throttling import AuthRateThrottle

from aksi.accounts.scopes import entry_scope, view_scope
from aksi.analytics.models import CoverageRollup
from aksi.analytics.selectors import progress_for_region
from aksi.api.auth import Principal, principal_from_request
from aksi.assessment import selectors as assessment_selectors
from aksi.assessment.models import AssessmentResult
from aksi.catalogue.models import Indicator, IndicatorCatalogue, Step
from aksi.documents import files as document_files
from aksi.documents import selectors as document_selectors
from aksi.documents.models import Document, DocumentKind, DocumentStatus, DocumentSubtype
from aksi.lib.numbers import coverage_percent
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import DEPTH_LEVEL, LEVEL_DEPTH, Region
from aksi.regions.selectors import subtree_q
from aksi.reporting.exchange import STRATEGIES, Incoming, values_exchange
from aksi.reporting.models import CoverageValue, Origin, SupportingValue, TargetGroupCount
from aksi.review.models import Submission

# --- authentication --------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` (DHIS2's `ApiToken <token>` is accepted too)."""

    def __call__(self, request: HttpRequest) -> Principal | None:
        principal = principal_from_request(request)
        return principal if principal and principal.token_id else None

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:  # noqa: ARG002
        return None  # pragma: no cover - __call__ does the work


class BasicAuth(HttpBasicAuth):
    def __call__(self, request: HttpRequest) -> Principal | None:
        if not request.headers.get("Authorization", "").lower().startswith("basic "):
            return None
        return principal_from_request(request)

    def authenticate(self, request: HttpRequest, username: str, password: str) -> None:
        return None  # pragma: no cover - __call__ does the work


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; writes also need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        if "Authorization" in request.headers:
            return None
        principal = principal_from_request(request)
        if principal is None:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}):
                return None
        return principal


api = NinjaAPI(
    title="Aksi API",
    version="1",
    description=(
        "Regions, the indicator catalogue, data values, submissions, progress, rollups and "
        "the document registers of Aksi. Every call acts as its user, with that user's "
        "scopes. The DHIS2-compatible endpoints (/api/dataValueSets, /api/dataElements, "
        "/api/organisationUnits) are described in the user guide."
    ),
    urls_namespace="api-v1",
    auth=[TokenAuth(), BasicAuth(), SessionAuth()],
    throttle=[AuthRateThrottle(settings.AKSI_API_RATE)],
)


def _error(request: HttpRequest, status: int, detail: str, errors: Any = None) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="Aksi", charset="UTF-8"'
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(
        request, 401, _("Authentication required: a valid token or user name and password.")
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return _error(request, 422, _("The request is not valid."), errors)


@api.exception_handler(ValidationError)
def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = (
        [{"field": k, "message": " ".join(v)} for k, v in exc.message_dict.items()]
        if hasattr(exc, "error_dict")
        else [{"field": "", "message": m} for m in exc.messages]
    )
    return _error(request, 400, " ".join(exc.messages), errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or _("Not allowed."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, str(exc) or _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _user(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError as error:
        raise HttpError(400, str(error)) from None


def _visible_region(request: HttpRequest, code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("No region has the code %(code)s.") % {"code": code})
    if not view_scope(_user(request)).covers(code):
        raise PermissionDenied(_("%(code)s is outside the regions you may see.") % {"code": code})
    return region


# What identifiers look like. They also keep characters PostgreSQL text cannot hold (NUL) out of
# queries: such a request is a 422 naming the field, never a server error.
REGION = r"^[0-9.]{1,13}$"
INDICATOR = r"^[A-Za-z0-9-]{1,10}$"
PERIOD = r"^[0-9]{4}([SQsq][0-9]|[0-9]{2})?$"
TEXT = r"^[^\x00]*$"


class Pages(LimitOffsetPagination):
    """limit/offset paging with bounds the database can take (a huge offset is a 422, not a
    bigint overflow)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=100_000_000)


# --- schemas ---------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    level: str
    depth: int
    parent: str | None
    time_zone: str
    active: bool


class IndicatorOut(Schema):
    code: str
    year: int
    name: str
    target_group: str
    intervention_type: str
    sectors: list[str]
    national_target: float | None
    direction: str
    numerator_definition: str
    denominator_definition: str
    denominator_source: str
    entry_level: str
    is_binary: bool
    data_elements: list[str]


class SupportingItemOut(Schema):
    code: str
    year: int
    name: str
    sector: str
    unit: str = Field(..., description="count, yes_no (1 = yes, 0 = no) or rupiah")
    entry_level: str = Field(..., description="village or subdistrict")
    source: str
    help_text: str


class SupportingValueOut(Schema):
    item: str
    region: str
    period: str
    value: int | None
    note: str
    origin: str
    version: int
    updated_by: str | None
    updated_at: dt.datetime


class TargetGroupCountOut(Schema):
    target_group: str
    region: str
    period: str
    count: int | None
    source: str
    origin: str
    version: int
    updated_by: str | None
    updated_at: dt.datetime


class StepOut(Schema):
    framework: str
    action: str
    code: str
    name: str
    levels: list[str]
    opens_on: str
    due_on: str


class PeriodOut(Schema):
    code: str
    kind: str
    start: dt.date
    end: dt.date


class ValueOut(Schema):
    indicator: str
    region: str
    period: str
    numerator: int | None
    denominator: int | None
    coverage: float | None
    status: str
    note: str
    origin: str
    version: int
    updated_by: str | None
    updated_at: dt.datetime


class ValueIn(Schema):
    indicator: str = Field(..., pattern=INDICATOR, description="Indicator code, e.g. BL-02")
    region: str = Field(..., pattern=REGION, description="Kemendagri code of the desa")
    period: str = Field(..., pattern=PERIOD, description="2025, 2025S1, 2025Q1 or 202507")
    numerator: int | None = Field(None, ge=0)
    denominator: int | None = Field(None, ge=0)
    note: str | None = Field(None, max_length=2000, pattern=TEXT)


class ValuesIn(Schema):
    values: list[ValueIn] = Field(..., max_length=10000)
    dry_run: bool = False
    strategy: str = Field(
        "CREATE_AND_UPDATE", pattern=r"^[A-Z_]{1,20}$", description=" | ".join(STRATEGIES)
    )


class ConflictOut(Schema):
    index: int
    object: str
    property: str
    code: str
    reason: str


class ValuesSummaryOut(Schema):
    status: str
    dry_run: bool
    imported: int
    updated: int
    ignored: int
    deleted: int
    conflicts: list[ConflictOut]


class SubmissionOut(Schema):
    id: int
    step: str
    region: str
    period: str
    status: str
    first_submitted_at: dt.datetime | None
    last_submitted_at: dt.datetime | None
    verified_at: dt.datetime | None


class ProgressOut(Schema):
    region: str | None
    period: str
    expected: int
    filled: int
    verified: int
    filled_percent: float | None
    verified_percent: float | None


class RollupOut(Schema):
    indicator: str
    region: str | None
    period: str
    numerator: int
    denominator: int
    reported: int
    coverage: float | None
    updated_at: dt.datetime


class DocumentOut(Schema):
    id: int
    region: str
    year: int
    kind: str = Field(..., description=" | ".join(DocumentKind.values))
    subtype: str = Field(..., description="The type within the kind, e.g. task_force_decree")
    step: str | None = Field(..., description="Step code of the year's framework, e.g. 1 or R")
    title: str
    number: str
    date: dt.date
    status: str | None = Field(..., description="in_force | revoked; null unless a regulation")
    revoked_on: dt.date | None
    channel: str
    audience: str
    link: str | None
    file_name: str | None
    file_size: int | None
    file_sha256: str | None
    download_url: str | None = Field(..., description="GET it with the same authentication")
    uploaded_by: str
    updated_at: dt.datetime
    version: int


class PrevalenceFigureOut(Schema):
    year: int
    prevalence: float | None = Field(
        ..., description="% of under-fives stunted, one decimal; null when there is no figure"
    )
    survey: str | None = Field(..., description="ssgi, ski, ssgbi or riskesdas (survey only)")
    period: str | None = Field(..., description="e-PPGBM period compared, e.g. 202508")
    measured: int | None = Field(..., description="N: children measured (e-PPGBM only)")
    sample_size: int | None = Field(..., description="Children in the survey sample, if known")
    low_n: bool = Field(..., description="Too few children measured: shown, not judged")
    missing: str | None = Field(..., description="Why there is no figure")


class PrevalenceChangeOut(Schema):
    previous: PrevalenceFigureOut = Field(..., description="The year before the year assessed")
    current: PrevalenceFigureOut = Field(..., description="The year assessed")
    change: float | None = Field(..., description="current - previous, percentage points")
    fell: bool | None = Field(..., description="null when not judged (a figure missing, low N)")


class AssessmentResultOut(Schema):
    round_id: int
    round_title: str
    round_status: str = Field(
        ..., description="published; scoring or closed only for the province's own team"
    )
    conducted_year: int = Field(..., description="Year the assessment was held")
    assessed_year: int = Field(..., description="Year whose performance was assessed")
    province: str = Field(..., description="Code of the province that ran the round")
    region: str = Field(..., description="Code of the kab/kota assessed")
    region_name: str
    technical: float = Field(..., description="Technical-team score, 0-100")
    panel: float = Field(..., description="Panel score, 0-100")
    total: float = Field(..., description="Weighted total, 0-100")
    technical_weight: int
    panel_weight: int
    rank: int
    technical_rank: int
    panel_rank: int
    computed_at: dt.datetime
    published_at: dt.datetime | None
    results_stale: bool = Field(
        ..., description="Grades changed or the round was reopened after computing (unpublished)"
    )
    prevalence_survey: PrevalenceChangeOut = Field(
        ..., description="Survey prevalence (SSGI/SKI); never enters the score"
    )
    prevalence_eppgbm: PrevalenceChangeOut = Field(
        ..., description="e-PPGBM prevalence with N; never enters the score, never mixed"
    )
    outcome_mismatch: bool = Field(
        ..., description="total >= outcome_mismatch_score and prevalence did not fall"
    )
    outcome_mismatch_sources: list[str] = Field(
        ..., description="Where prevalence did not fall: survey, eppgbm"
    )
    outcome_mismatch_score: float = Field(..., description="The total score the flag starts at")


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] | None = None


def answers(ok: Any) -> dict[int, Any]:
    """The documented answers of an endpoint: its result, or the common error body."""
    return {200: ok} | dict.fromkeys((400, 401, 403, 404, 422, 429), ErrorOut)


class MeOut(Schema):
    username: str
    name: str
    national: bool
    view_regions: list[str]
    entry_regions: list[str]


# --- endpoints -------------------------------------------------------------------------------

regions = Router(tags=["regions"])
catalogue = Router(tags=["catalogue"])
data = Router(tags=["data values"])
review = Router(tags=["submissions"])
analytics = Router(tags=["progress and rollups"])
documents = Router(tags=["documents"])
assessment = Router(tags=["assessment"])


def _region_out(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "depth": LEVEL_DEPTH[region.level],
        "parent": region.parent_id,
        "time_zone": region.time_zone,
        "active": region.valid_to is None,
    }


class RegionFilter(Schema):
    parent: str | None = Field(None, pattern=REGION, description="Children of this region code")
    depth: int | None = Field(None, ge=1, le=4, description="1 provinsi … 4 desa")
    q: str | None = Field(None, max_length=60, pattern=TEXT, description="Part of the name")


@regions.get("/regions", response=answers(list[RegionOut]))
@paginate(Pages)
def region_list(request: HttpRequest, filters: RegionFilter = Query(...)) -> list[dict[str, Any]]:
    """Active regions (public reference data), filtered; at most 100 a page."""
    queryset: QuerySet[Region] = Region.objects.filter(valid_to__isnull=True).order_by("code")
    if filters.parent:
        queryset = queryset.filter(parent_id=filters.parent)
    if filters.depth:
        queryset = queryset.filter(level=DEPTH_LEVEL[filters.depth])
    if filters.q:
        queryset = queryset.filter(name__icontains=filters.q)
    return _MappedQuerySet(queryset, _region_out)  # type: ignore[return-value]


@regions.get("/regions/{code}", response=answers(RegionOut))
def region_detail(request: HttpRequest, code: str = Path(..., pattern=REGION)) -> dict[str, Any]:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("No region has the code %(code)s.") % {"code": code})
    return _region_out(region)


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    sides = ["NUM"] if indicator.is_binary else ["NUM", "DEN"]
    return {
        "code": indicator.code,
        "year": indicator.catalogue.year,
        "name": indicator.name,
        "target_group": indicator.target_group_label,
        "intervention_type": indicator.intervention_type,
        "sectors": indicator.sectors,
        "national_target": float(indicator.national_target)
        if indicator.national_target is not None
        else None,
        "direction": indicator.direction,
        "numerator_definition": indicator.numerator_definition,
        "denominator_definition": indicator.denominator_definition,
        "denominator_source": indicator.denominator_source,
        "entry_level": indicator.entry_level,
        "is_binary": indicator.is_binary,
        "data_elements": [f"{indicator.code}.{side}" for side in sides],
    }


def _catalogue(year: int | None) -> IndicatorCatalogue:
    catalogues = IndicatorCatalogue.objects.filter(status=IndicatorCatalogue.Status.PUBLISHED)
    found = catalogues.filter(year=year).first() if year else catalogues.order_by("-year").first()
    if found is None:
        raise Http404(_("No published catalogue for %(year)s.") % {"year": year or "—"})
    return found


@catalogue.get("/indicators", response=answers(list[IndicatorOut]))
def indicator_list(
    request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)
) -> list[dict[str, Any]]:
    """The published indicator catalogue of a year (the latest when no year is given)."""
    found = _catalogue(year)
    return [
        _indicator_out(i) for i in found.indicators.select_related("catalogue").order_by("order")
    ]


@catalogue.get("/indicators/{year}/{code}", response=answers(IndicatorOut))
def indicator_detail(
    request: HttpRequest, year: int, code: str = Path(..., pattern=INDICATOR)
) -> dict[str, Any]:
    indicator = (
        Indicator.objects.select_related("catalogue")
        .filter(
            catalogue__year=year, code=code, catalogue__status=IndicatorCatalogue.Status.PUBLISHED
        )
        .first()
    )
    if indicator is None:
        raise Http404(_("No indicator %(code)s in %(year)s.") % {"code": code, "year": year})
    return _indicator_out(indicator)


@catalogue.get("/supporting-items", response=answers(list[SupportingItemOut]))
def supporting_item_list(
    request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)
) -> list[dict[str, Any]]:
    """The supporting data items (data pendukung) of a year's published catalogue."""
    found = _catalogue(year)
    return [
        {
            "code": i.code,
            "year": found.year,
            "name": i.name,
            "sector": i.sector,
            "unit": i.unit,
            "entry_level": i.entry_level,
            "source": i.source,
            "help_text": i.help_text,
        }
        for i in found.supporting_items.order_by("order")
    ]


@catalogue.get("/steps", response=answers(list[StepOut]))
def step_list(
    request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)
) -> list[dict[str, Any]]:
    """The steps of the action frameworks in force in a year (all frameworks without a year)."""
    steps = Step.objects.select_related("framework", "action").order_by("framework", "order")
    if year:
        steps = steps.filter(framework__first_year__lte=year).filter(
            Q(framework__last_year__isnull=True) | Q(framework__last_year__gte=year)
        )
    return [
        {
            "framework": s.framework.code,
            "action": s.action.code,
            "code": s.code,
            "name": s.name,
            "levels": s.levels,
            "opens_on": s.opens_on,
            "due_on": s.due_on,
        }
        for s in steps
    ]


@catalogue.get("/periods", response=answers(list[PeriodOut]))
def period_list(request: HttpRequest, year: int = Query(..., ge=2000, le=2100)) -> list[Any]:
    """The periods of a year that values may be reported for."""
    codes = [f"{year}", f"{year}S1", f"{year}S2"] + [f"{year}Q{q}" for q in range(1, 5)]
    periods = [parse_period(code) for code in codes]
    return [{"code": p.code, "kind": p.kind, "start": p.start, "end": p.end} for p in periods]


class _MappedQuerySet:
    """A queryset that the paginator slices, mapping each row after the slice."""

    def __init__(self, queryset: QuerySet, mapper: Any) -> None:
        self.queryset, self.mapper = queryset, mapper

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[Any]:
        return [self.mapper(obj) for obj in self.queryset[item]]


def _value_out(value: CoverageValue) -> dict[str, Any]:
    return {
        "indicator": value.indicator.code,
        "region": value.region_id,
        "period": value.period,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "coverage": coverage_percent(value.numerator, value.denominator)
        if value.status == "value"
        else None,
        "status": value.status,
        "note": value.note,
        "origin": value.origin,
        "version": value.version,
        "updated_by": value.updated_by.username if value.updated_by else None,
        "updated_at": value.updated_at,
    }


class ValueFilter(Schema):
    region: str = Field(..., pattern=REGION, description="A region code: its whole subtree")
    period: str = Field(..., pattern=PERIOD)
    indicator: str | None = Field(None, pattern=INDICATOR)


@data.get("/values", response=answers(list[ValueOut]))
@paginate(Pages)
def value_list(request: HttpRequest, filters: ValueFilter = Query(...)) -> Any:
    """Stored values of a region's subtree for a period, in the caller's view scope."""
    region = _visible_region(request, filters.region)
    queryset = (
        CoverageValue.objects.filter(
            subtree_q(region.code, prefix="region__") | Q(region_id=region.code),
            period=_period(filters.period),
        )
        .select_related("indicator", "updated_by")
        .order_by("region_id", "indicator__order")
    )
    if filters.indicator:
        queryset = queryset.filter(indicator__code=filters.indicator)
    return _MappedQuerySet(queryset, _value_out)


class SupportingValueFilter(Schema):
    region: str = Field(..., pattern=REGION, description="A region code: its whole subtree")
    period: str = Field(..., pattern=PERIOD)
    item: str | None = Field(None, pattern=INDICATOR, description="Item code, e.g. DP-01")


def _supporting_value_out(value: SupportingValue) -> dict[str, Any]:
    return {
        "item": value.item.code,
        "region": value.region_id,
        "period": value.period,
        "value": value.value,
        "note": value.note,
        "origin": value.origin,
        "version": value.version,
        "updated_by": value.updated_by.username if value.updated_by else None,
        "updated_at": value.updated_at,
    }


@data.get("/supporting-values", response=answers(list[SupportingValueOut]))
@paginate(Pages)
def supporting_value_list(request: HttpRequest, filters: SupportingValueFilter = Query(...)) -> Any:
    """Stored supporting data (data pendukung) of a region's subtree for a period, in the
    caller's view scope: desa values and the kecamatan's own."""
    region = _visible_region(request, filters.region)
    queryset = (
        SupportingValue.objects.filter(
            subtree_q(region.code, prefix="region__") | Q(region_id=region.code),
            period=_period(filters.period),
        )
        .select_related("item", "updated_by")
        .order_by("region_id", "item__order")
    )
    if filters.item:
        queryset = queryset.filter(item__code=filters.item)
    return _MappedQuerySet(queryset, _supporting_value_out)


class TargetGroupCountFilter(Schema):
    region: str = Field(..., pattern=REGION, description="A region code: its whole subtree")
    period: str = Field(..., pattern=PERIOD)
    target_group: str | None = Field(
        None, pattern=r"^[-a-zA-Z0-9_]{1,40}$", description="Target group code, e.g. pregnant_woman"
    )


def _target_group_count_out(count: TargetGroupCount) -> dict[str, Any]:
    return {
        "target_group": count.target_group.code,
        "region": count.region_id,
        "period": count.period,
        "count": count.count,
        "source": count.source,
        "origin": count.origin,
        "version": count.version,
        "updated_by": count.updated_by.username if count.updated_by else None,
        "updated_at": count.updated_at,
    }


@data.get("/target-group-counts", response=answers(list[TargetGroupCountOut]))
@paginate(Pages)
def target_group_count_list(
    request: HttpRequest, filters: TargetGroupCountFilter = Query(...)
) -> Any:
    """Stored target-group counts (data sasaran) of the desa in a region's subtree for a
    period, in the caller's view scope, with their source (entered, Dukcapil, …)."""
    region = _visible_region(request, filters.region)
    queryset = (
        TargetGroupCount.objects.filter(
            subtree_q(region.code, prefix="region__") | Q(region_id=region.code),
            period=_period(filters.period),
        )
        .select_related("target_group", "updated_by")
        .order_by("region_id", "target_group__order", "target_group__code")
    )
    if filters.target_group:
        queryset = queryset.filter(target_group__code=filters.target_group)
    return _MappedQuerySet(queryset, _target_group_count_out)


@data.post("/values", response=answers(ValuesSummaryOut))
def value_upsert(request: HttpRequest, payload: ValuesIn) -> dict[str, Any]:
    """Create or update many values at once (at most 10,000 a call).

    A blank side keeps the stored number. Valid values are stored; every other one is listed
    as a conflict with its index and the reason. `dry_run` stores nothing.
    """
    if payload.strategy not in STRATEGIES:
        raise HttpError(400, _("strategy is one of %(names)s.") % {"names": ", ".join(STRATEGIES)})
    incoming = []
    for index, value in enumerate(payload.values):
        sides = tuple(
            side for side in ("numerator", "denominator") if getattr(value, side) is not None
        )
        incoming.append(
            Incoming(
                index=index,
                object=value.indicator,
                indicator_code=value.indicator,
                region_code=value.region,
                period=value.period,
                numerator=value.numerator,
                denominator=value.denominator,
                sides=sides,
                comment=value.note,
                error="" if sides or payload.strategy == "DELETE" else _("No number given."),
            )
        )
    summary = values_exchange(
        actor=_user(request),
        incoming=incoming,
        strategy=payload.strategy,
        dry_run=payload.dry_run,
        via=Origin.API,
    )
    return {
        "status": summary.status,
        "dry_run": summary.dry_run,
        "imported": summary.imported,
        "updated": summary.updated,
        "ignored": summary.ignored,
        "deleted": summary.deleted,
        "conflicts": [
            {
                "index": c.indexes[0],
                "object": c.object,
                "property": c.property,
                "code": c.error_code,
                "reason": c.value,
            }
            for c in summary.conflicts
        ],
    }


class SubmissionFilter(Schema):
    period: str | None = Field(None, pattern=PERIOD)
    region: str | None = Field(None, pattern=REGION, description="A region code: its subtree")
    status: str | None = Field(None, pattern=r"^[a-z_]{1,12}$")


def _submission_out(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "step": submission.step.code,
        "region": submission.region_id,
        "period": submission.period,
        "status": submission.status,
        "first_submitted_at": submission.first_submitted_at,
        "last_submitted_at": submission.last_submitted_at,
        "verified_at": submission.verified_at,
    }


@review.get("/submissions", response=answers(list[SubmissionOut]))
@paginate(Pages)
def submission_list(request: HttpRequest, filters: SubmissionFilter = Query(...)) -> Any:
    """Submissions and their status, in the caller's view scope."""
    scope = view_scope(_user(request))
    queryset = (
        Submission.objects.filter(scope.q("region__"))
        .select_related("step")
        .order_by("period", "region_id", "step__order")
    )
    if filters.region:
        _visible_region(request, filters.region)
        queryset = queryset.filter(
            subtree_q(filters.region, prefix="region__") | Q(region_id=filters.region)
        )
    if filters.period:
        queryset = queryset.filter(period=_period(filters.period))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return _MappedQuerySet(queryset, _submission_out)


@review.get("/submissions/{submission_id}", response=answers(SubmissionOut))
def submission_detail(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    scope = view_scope(_user(request))
    submission = (
        Submission.objects.filter(scope.q("region__"), pk=submission_id)
        .select_related("step")
        .first()
    )
    if submission is None:
        raise Http404(_("No such submission."))
    return _submission_out(submission)


@analytics.get("/progress", response=answers(ProgressOut))
def progress(
    request: HttpRequest,
    period: str = Query(..., pattern=PERIOD),
    region: str | None = Query(None, pattern=REGION, description="Omit for the nation"),
) -> dict[str, Any]:
    """Share of expected village values filled and verified, for a region or the nation."""
    code = _period(period)
    if region:
        found: Region | None = _visible_region(request, region)
    else:
        if not view_scope(_user(request)).national:
            raise PermissionDenied(_("Only national roles see the national figures."))
        found = None
    result = progress_for_region(region=found, period=code)
    return {
        "region": found.code if found else None,
        "period": code,
        "expected": result.expected,
        "filled": result.filled,
        "verified": result.verified,
        "filled_percent": result.filled_percent,
        "verified_percent": result.verified_percent,
    }


@analytics.get("/rollups", response=answers(list[RollupOut]))
def rollup_list(
    request: HttpRequest,
    period: str = Query(..., pattern=PERIOD),
    region: str | None = Query(None, pattern=REGION, description="Omit for the nation"),
    children: bool = Query(False, description="The region's children instead of the region"),
    indicator: str | None = Query(None, pattern=INDICATOR),
) -> list[dict[str, Any]]:
    """Summed numerators and denominators, kept current with every saved value."""
    code = _period(period)
    scope = view_scope(_user(request))
    if region:
        _visible_region(request, region)
    elif not scope.national:
        raise PermissionDenied(_("Only national roles see the national figures."))
    rollups = CoverageRollup.objects.filter(period=code).select_related("indicator")
    if children:
        child_codes = Region.objects.filter(valid_to__isnull=True)
        child_codes = (
            child_codes.filter(parent_id=region) if region else child_codes.filter(level="province")
        )
        rollups = rollups.filter(region_code__in=child_codes.values("code"))
    else:
        rollups = rollups.filter(region_code=region or "")
    if indicator:
        rollups = rollups.filter(indicator__code=indicator)
    return [
        {
            "indicator": r.indicator.code,
            "region": r.region_code or None,
            "period": r.period,
            "numerator": r.numerator_sum,
            "denominator": r.denominator_sum,
            "reported": r.complete_count,
            "coverage": coverage_percent(r.numerator_sum, r.denominator_sum),
            "updated_at": r.updated_at,
        }
        for r in rollups.order_by("region_code", "indicator__order")
    ]


def _document_out(request: HttpRequest, document: Document) -> dict[str, Any]:
    has_file = bool(document.file)
    return {
        "id": document.pk,
        "region": document.region_id,
        "year": document.year,
        "kind": document.kind,
        "subtype": document.subtype,
        "step": document.step.code if document.step_id else None,
        "title": document.title,
        "number": document.number,
        "date": document.document_date,
        "status": document.status or None,
        "revoked_on": document.revoked_on,
        "channel": document.channel,
        "audience": document.audience,
        "link": document.link or None,
        "file_name": document.file_name if has_file else None,
        "file_size": document.file_size if has_file else None,
        "file_sha256": document.file_sha256 if has_file else None,
        "download_url": request.build_absolute_uri(
            reverse("api-v1:document_file", kwargs={"document_id": document.pk})
        )
        if has_file
        else None,
        "uploaded_by": document.uploaded_by.username,
        "updated_at": document.updated_at,
        "version": document.version,
    }


class DocumentFilter(Schema):
    region: str | None = Field(None, pattern=REGION, description="A region code: its whole subtree")
    year: int | None = Field(None, ge=2000, le=2100, description="Reporting year")
    kind: DocumentKind | None = None
    subtype: DocumentSubtype | None = None
    status: DocumentStatus | None = Field(None, description="Regulations in force or revoked")
    q: str | None = Field(
        None, max_length=100, pattern=TEXT, description="Part of the title, number or file name"
    )


@documents.get("/documents", response=answers(list[DocumentOut]))
@paginate(Pages)
def document_list(request: HttpRequest, filters: DocumentFilter = Query(...)) -> Any:
    """The document registers (regulations, publications, minutes, reports, decrees) the caller
    may read: the regions of the view scope, everything below them and the regions above."""
    user = _user(request)
    if filters.region:
        if not Region.objects.filter(code=filters.region).exists():
            raise Http404(_("No region has the code %(code)s.") % {"code": filters.region})
        if not document_selectors.document_region_visible(user=user, code=filters.region):
            raise PermissionDenied(
                _("%(code)s is outside the regions you may see.") % {"code": filters.region}
            )
    queryset = document_selectors.document_list(
        user=user,
        region_code=filters.region,
        year=filters.year,
        kind=filters.kind,
        subtype=filters.subtype,
        status=filters.status,
        q=filters.q,
    )
    return _MappedQuerySet(queryset, lambda document: _document_out(request, document))


def _document(request: HttpRequest, document_id: int) -> Document:
    try:
        return document_selectors.document_get(user=_user(request), pk=document_id)
    except Http404:
        raise Http404(_("No such document.")) from None


@documents.get("/documents/{document_id}", response=answers(DocumentOut))
def document_detail(request: HttpRequest, document_id: int = Path(..., ge=1)) -> dict[str, Any]:
    return _document_out(request, _document(request, document_id))


@documents.get(
    "/documents/{document_id}/file",
    response=dict.fromkeys((401, 403, 404, 422, 429), ErrorOut),
    url_name="document_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment under its uploaded name",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def document_file(request: HttpRequest, document_id: int = Path(..., ge=1)) -> FileResponse:
    """The document's file (PDF, DOCX, XLSX, JPG or PNG); 404 when it only has a link."""
    return document_files.file_response(_document(request, document_id))


def _prevalence_figure_out(figure: assessment_selectors.PrevalenceFigure) -> dict[str, Any]:
    return {
        "year": figure.year,
        "prevalence": float(figure.value) if figure.value is not None else None,
        "survey": figure.survey or None,
        "period": figure.period or None,
        "measured": figure.measured,
        "sample_size": figure.sample_size,
        "low_n": figure.low_n,
        "missing": figure.missing or None,
    }


def _prevalence_change_out(change: assessment_selectors.PrevalenceChange) -> dict[str, Any]:
    return {
        "previous": _prevalence_figure_out(change.previous),
        "current": _prevalence_figure_out(change.current),
        "change": float(change.change) if change.change is not None else None,
        "fell": change.fell,
    }


def _assessment_result_out(
    result: AssessmentResult, outcome: assessment_selectors.Outcome
) -> dict[str, Any]:
    round = result.round
    return {
        "round_id": round.pk,
        "round_title": round.title,
        "round_status": round.status,
        "conducted_year": round.conducted_year,
        "assessed_year": round.assessed_year,
        "province": round.province_id,
        "region": result.region_id,
        "region_name": result.region.name,
        "technical": float(result.technical),
        "panel": float(result.panel),
        "total": float(result.total),
        "technical_weight": round.technical_weight,
        "panel_weight": round.panel_weight,
        "rank": result.rank,
        "technical_rank": result.technical_rank,
        "panel_rank": result.panel_rank,
        "computed_at": result.computed_at,
        "published_at": round.published_at,
        "results_stale": round.results_stale,
        "prevalence_survey": _prevalence_change_out(outcome.survey),
        "prevalence_eppgbm": _prevalence_change_out(outcome.eppgbm),
        "outcome_mismatch": outcome.mismatch,
        "outcome_mismatch_sources": outcome.mismatch_sources,
        "outcome_mismatch_score": float(outcome.threshold),
    }


class _AssessmentResultPage(_MappedQuerySet):
    """The outcomes of a page are read together: queries per round's province and period, not
    per result."""

    def __getitem__(self, item: slice) -> list[Any]:
        results = list(self.queryset[item])
        outcomes = assessment_selectors.result_outcomes(results=results)
        return [_assessment_result_out(r, outcomes[r.pk]) for r in results]


class AssessmentResultFilter(Schema):
    region: str | None = Field(
        None, pattern=REGION, description="A province (or kab/kota) code: the kab/kota below it"
    )
    assessed_year: int | None = Field(None, ge=2000, le=2100, description="Year assessed")
    conducted_year: int | None = Field(None, ge=2000, le=2100, description="Year of assessment")


@assessment.get("/assessment-results", response=answers(list[AssessmentResultOut]))
@paginate(Pages)
def assessment_result_list(
    request: HttpRequest, filters: AssessmentResultFilter = Query(...)
) -> Any:
    """Results of the provincial penilaian kinerja of kab/kota, best rank first per round:
    every published round for any caller; rounds not yet published only for the province's
    own admins and technical team (and national roles), who see them provisional. Beside each
    score, the kab/kota's stunting prevalence in the year assessed and the year before from
    each source apart (survey, e-PPGBM) and the outcome-mismatch flag; prevalence never enters
    the score."""
    if filters.region and not Region.objects.filter(code=filters.region).exists():
        raise Http404(_("No region has the code %(code)s.") % {"code": filters.region})
    queryset = assessment_selectors.results_for_api(
        user=_user(request),
        region_code=filters.region,
        assessed_year=filters.assessed_year,
        conducted_year=filters.conducted_year,
    )
    return _AssessmentResultPage(queryset, _assessment_result_out)


@api.get("/me", response=answers(MeOut), tags=["me"])
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the call acts as, and where it may see and enter data."""
    user = _user(request)
    view, entry = view_scope(user), entry_scope(user)
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "national": view.national,
        "view_regions": list(view.roots),
        "entry_regions": list(entry.roots),
    }


api.add_router("", regions)
api.add_router("", catalogue)
api.add_router("", data)
api.add_router("", review)
api.add_router("", analytics)
api.add_router("", documents)
api.add_router("", assessment)
