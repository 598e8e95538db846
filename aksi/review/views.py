from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aksi.lib.periods import PeriodError, parse_period
from aksi.reporting import selectors as reporting_selectors
from aksi.review import selectors, services
from aksi.review.models import InvalidTransition


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError:
        raise Http404(text) from None


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    period = _period(request.GET.get("period") or selectors.default_period())
    data = selectors.inbox(user=request.user, parent_code=request.GET.get("region"), period=period)
    context = {"inbox": data, "next": request.get_full_path()}
    return render(request, "review/inbox.html", context)


@login_required
def submit(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """The submit panel of a kecamatan's entry grid (htmx partial, or a page without htmx)."""
    period = _period(period)
    region = reporting_selectors.entry_subdistrict_get(user=request.user, code=code)
    errors: list[str] = []
    note = ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        try:
            services.submission_submit(actor=request.user, region=region, period=period, note=note)
        except ValidationError as error:
            errors = error.messages
        except InvalidTransition:
            errors = [_("These data have already been submitted.")]
        else:
            note = ""
    panel = selectors.submit_panel(user=request.user, region=region, period=period)
    context = {"panel": panel, "errors": errors, "note": note, "period": period, "code": code}
    template = "review/_submit_panel.html" if request.htmx else "review/submit.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(user=request.user, pk=pk)
    context = {
        "submission": submission,
        "events": submission.events.select_related("actor"),
        "may_verify": request.user.has_perm("review.verify_submission", submission),
        "may_reopen": request.user.has_perm("review.reopen_submission", submission),
        "next": request.get_full_path(),
    }
    return render(request, "review/submission.html", context)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    submission = get_object_or_404(selectors.review_queue(user=request.user), pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "verify":
            services.submission_verify(
                submission=submission, actor=request.user, note=request.POST.get("note", "")
            )
            messages.success(request, _("%(region)s verified.") % {"region": submission.region})
        elif action == "return":
            services.submission_return(submission=submission, actor=request.user, reason=reason)
            messages.success(request, _("%(region)s returned.") % {"region": submission.region})
        else:
            services.submission_reopen(submission=submission, actor=request.user, reason=reason)
            messages.success(request, _("%(region)s reopened.") % {"region": submission.region})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except InvalidTransition:
        messages.error(request, _("This submission has already been handled."))
    return _back(request, reverse("review:submission", args=[submission.pk]))


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "verify")


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reopen")


@login_required
@require_POST
def bulk_verify(request: HttpRequest) -> HttpResponse:
    ids = [int(pk) for pk in request.POST.getlist("submission") if pk.isdigit()]
    if not ids:
        messages.error(request, _("Tick the submissions to verify."))
        return _back(request, reverse("review:inbox"))
    queue = list(selectors.review_queue(user=request.user).filter(pk__in=ids))
    if len(queue) < len(set(ids)):
        raise Http404("submission outside your verification scope")
    verified, skipped = services.submission_bulk_verify(submissions=queue, actor=request.user)
    messages.success(request, _("%(n)s submissions verified.") % {"n": len(verified)})
    if skipped:
        messages.warning(
            request,
            _("%(n)s were not verified: they are not waiting for verification.")
            % {"n": len(skipped)},
        )
    return _back(request, reverse("review:inbox"))
