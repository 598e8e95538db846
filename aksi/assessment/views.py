"""Pages of the penilaian kinerja: rounds, settings and rubric, panelists, the scoring grid
(saved per cell with htmx), results with the score sheet of each kab/kota and the prevalence
beside it, the Excel export; corrections (reopen, withdraw a publication, delete a draft)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from aksi.assessment import exports, selectors, services
from aksi.assessment import rules as assessment_rules
from aksi.assessment.forms import (
    PanelistForm,
    ReasonForm,
    RoundCreateForm,
    RoundSettingsForm,
    RubricItemForm,
)
from aksi.assessment.models import (
    AssessmentRound,
    Component,
    InvalidTransition,
    RoundStatus,
    RubricItem,
)
from aksi.core.forms import form_submit


def _managed(request: HttpRequest, pk: int) -> AssessmentRound:
    round = selectors.round_get(user=request.user, pk=pk)
    if not request.user.has_perm(assessment_rules.MANAGE_ROUND, round):
        raise PermissionDenied(
            _("You do not run the assessments of %(province)s.") % {"province": round.province.name}
        )
    return round


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("province", "")
    rounds = selectors.round_list(user=request.user, province_code=province or None)
    context = {
        "rounds": rounds,
        "provinces": selectors.round_list_provinces(user=request.user),
        "province": province,
        "may_create": selectors.manageable_provinces(user=request.user).exists(),
    }
    return render(request, "assessment/round_list.html", context)


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    provinces = selectors.manageable_provinces(user=request.user)
    if not provinces.exists():
        raise PermissionDenied(_("You do not run the assessments of any province."))
    form = RoundCreateForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        round = form_submit(
            form,
            services.round_create,
            actor=request.user,
            province=form.cleaned_data["province"],
            conducted_year=form.cleaned_data["conducted_year"],
            assessed_year=form.cleaned_data["assessed_year"],
            title=form.cleaned_data["title"],
        )
        if round is not None:
            messages.success(
                request,
                _("The round was created with the default rubric; check its settings."),
            )
            return redirect("assessment:detail", pk=round.pk)
    return render(request, "assessment/round_create.html", {"form": form})


REOPEN_REQUIRED = gettext_lazy("Give the reason for reopening the round.")
UNPUBLISH_REQUIRED = gettext_lazy("Give the reason for withdrawing the published results.")


def _detail_context(
    request: HttpRequest,
    round: AssessmentRound,
    *,
    reopen_form: ReasonForm | None = None,
    unpublish_form: ReasonForm | None = None,
) -> dict[str, Any]:
    user = request.user
    manages = user.has_perm(assessment_rules.MANAGE_ROUND, round)
    has_results = round.results.exists()
    score_counts = selectors.panelist_score_counts(round=round)
    panelists = [
        (p, score_counts.get(p.user_id, 0)) for p in selectors.round_panelists(round=round)
    ]
    candidates = selectors.eligible_panelists(round=round) if manages else []
    return {
        "round": round,
        "items": selectors.round_items(round=round),
        "participants": selectors.round_participants(round=round),
        "panelists": panelists,
        "manages": manages,
        "may_edit": manages and round.is_draft,
        "may_change_panel": manages and round.status in (RoundStatus.DRAFT, RoundStatus.SCORING),
        "components": selectors.scorer_components(user=user, round=round),
        "sees_results": user.has_perm(assessment_rules.VIEW_RESULTS, round),
        "has_results": has_results,
        "results_stale": has_results and round.results_stale,
        # Corrections: only for whoever may make them, only in the state they start from.
        "may_reopen": manages and round.status == RoundStatus.CLOSED,
        "may_unpublish": round.is_published
        and user.has_perm(assessment_rules.UNPUBLISH_ROUND, round),
        "may_delete": manages and round.is_draft and not round.scores.exists(),
        "reopen_form": reopen_form or ReasonForm(),
        "unpublish_form": unpublish_form or ReasonForm(),
        "open_action": "reopen" if reopen_form else "unpublish" if unpublish_form else "",
        "last_correction": selectors.round_last_correction(round=round)
        if assessment_rules.sees_scorers(user, round)
        else None,
        "panelist_form": PanelistForm(candidates=candidates) if candidates else None,
        "item_form": RubricItemForm(
            initial={"component": Component.PANEL, "weight": "1", "source": "graded"}
        ),
    }


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_get(user=request.user, pk=pk)
    return render(request, "assessment/round_detail.html", _detail_context(request, round))


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    districts = selectors.province_districts(province=round.province)
    form = RoundSettingsForm(request.POST or None, round=round, districts=districts)
    if request.method == "POST" and form.is_valid():
        saved = form_submit(
            form,
            services.round_update,
            actor=request.user,
            round=round,
            **form.service_arguments(),
        )
        if saved is not None:
            messages.success(request, _("The settings of the round were saved."))
            return redirect("assessment:detail", pk=round.pk)
    return render(request, "assessment/round_edit.html", {"round": round, "form": form})


@login_required
@require_POST
def rubric_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    form = RubricItemForm(request.POST)
    if form.is_valid():
        item = form_submit(
            form,
            services.rubric_item_add,
            actor=request.user,
            round=round,
            **form.service_arguments(),
        )
        if item is not None:
            messages.success(request, _("Item %(code)s was added.") % {"code": item.code})
            return redirect("assessment:detail", pk=round.pk)
    context = _detail_context(request, round)
    context["item_form"] = form
    return render(request, "assessment/round_detail.html", context, status=400)


def _item(round: AssessmentRound, item_pk: int) -> RubricItem:
    return get_object_or_404(RubricItem, round=round, pk=item_pk)


@login_required
def rubric_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    round = _managed(request, pk)
    item = _item(round, item_pk)
    initial = {
        "code": item.code,
        "text": item.text,
        "guidance": item.guidance,
        "weight": str(item.weight.normalize()).replace(".", ","),
        "order": item.order,
        "source": item.source,
    }
    form = RubricItemForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        saved = form_submit(
            form,
            services.rubric_item_update,
            actor=request.user,
            item=item,
            **form.service_arguments(),
        )
        if saved is not None:
            messages.success(request, _("Item %(code)s was saved.") % {"code": saved.code})
            return redirect("assessment:detail", pk=round.pk)
    return render(
        request, "assessment/rubric_item_edit.html", {"round": round, "item": item, "form": form}
    )


@login_required
@require_POST
def rubric_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    round = _managed(request, pk)
    item = _item(round, item_pk)
    try:
        services.rubric_item_delete(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Item %(code)s was removed.") % {"code": item.code})
    return redirect("assessment:detail", pk=round.pk)


@login_required
@require_POST
def panelist_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    form = PanelistForm(request.POST, candidates=selectors.eligible_panelists(round=round))
    if not form.is_valid():
        messages.error(request, _("Choose a panelist from the list."))
        return redirect("assessment:detail", pk=round.pk)
    user = form.chosen()
    try:
        services.round_panelist_add(actor=request.user, round=round, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s joined the panel.") % {"user": user})
    return redirect("assessment:detail", pk=round.pk)


@login_required
@require_POST
def panelist_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    round = _managed(request, pk)
    panelist = get_object_or_404(round.panelists.select_related("user"), user_id=user_pk)
    try:
        services.round_panelist_remove(actor=request.user, round=round, user=panelist.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s left the panel.") % {"user": panelist.user})
    return redirect("assessment:detail", pk=round.pk)


TRANSITIONS = {
    "open": (services.round_open_scoring, gettext_lazy("Scoring is open: scorers can grade now.")),
    "compute": (
        services.results_compute,
        gettext_lazy("The results were computed from the saved scores."),
    ),
    "close": (
        services.round_close,
        gettext_lazy("The round is closed and its final results computed."),
    ),
    "publish": (services.round_publish, gettext_lazy("The results are published.")),
}


@login_required
@require_POST
def round_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404(action)
    round = _managed(request, pk)
    service, done = TRANSITIONS[action]
    try:
        service(actor=request.user, round=round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except InvalidTransition:
        messages.error(request, _("The round has already moved on; reload the page."))
    else:
        messages.success(request, done)
        if action in ("compute", "close", "publish"):
            return redirect("assessment:results", pk=round.pk)
    return redirect("assessment:detail", pk=round.pk)


@login_required
@require_POST
def round_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    form = ReasonForm(request.POST, required_message=str(REOPEN_REQUIRED))
    if form.is_valid():
        reopened = form_submit(
            form,
            services.round_reopen,
            actor=request.user,
            round=round,
            reason=form.cleaned_data["reason"],
        )
        if reopened is not None:
            messages.success(
                request,
                _(
                    "The round is open for scoring again. Its results are out of date until "
                    "they are computed again; closing the round computes them."
                ),
            )
            return redirect("assessment:detail", pk=round.pk)
    round.refresh_from_db()
    return render(
        request, "assessment/round_detail.html", _detail_context(request, round, reopen_form=form)
    )


@login_required
@require_POST
def round_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_get(user=request.user, pk=pk)
    if not request.user.has_perm(assessment_rules.UNPUBLISH_ROUND, round):
        raise PermissionDenied(
            _(
                "Only a central admin can withdraw published results: the province asks the "
                "centre in writing, giving the reason."
            )
        )
    form = ReasonForm(request.POST, required_message=str(UNPUBLISH_REQUIRED))
    if form.is_valid():
        withdrawn = form_submit(
            form,
            services.round_unpublish,
            actor=request.user,
            round=round,
            reason=form.cleaned_data["reason"],
        )
        if withdrawn is not None:
            messages.success(
                request,
                _(
                    "The results are withdrawn from publication: the round is closed again and "
                    "only the province's team and national users see them."
                ),
            )
            return redirect("assessment:detail", pk=round.pk)
    round.refresh_from_db()
    return render(
        request,
        "assessment/round_detail.html",
        _detail_context(request, round, unpublish_form=form),
    )


@login_required
@require_POST
def round_delete(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    title = round.title
    try:
        services.round_delete(actor=request.user, round=round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment:detail", pk=round.pk)
    except InvalidTransition:
        messages.error(request, _("The round has already moved on; reload the page."))
        return redirect("assessment:detail", pk=round.pk)
    messages.success(request, _("The draft “%(round)s” was deleted.") % {"round": title})
    return redirect("assessment:list")


@login_required
@require_GET
def scoring(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_get(user=request.user, pk=pk)
    components = selectors.scorer_components(user=request.user, round=round)
    if not components:
        raise PermissionDenied(_("You do not score in this round."))
    component = request.GET.get("component") or components[0]
    if component not in components:
        raise PermissionDenied(_("You do not score this component of the round."))
    grid = selectors.scoring_grid(user=request.user, round=round, component=component)
    context = {"round": round, "grid": grid, "components": components, "component": component}
    return render(request, "assessment/scoring.html", context)


@login_required
@require_POST
def score_cell(request: HttpRequest, pk: int, code: str, item_pk: int) -> HttpResponse:
    """Save one cell of the grid (htmx); answers the cell's state and, on a conflict, the value
    saved meanwhile."""
    round = selectors.round_get(user=request.user, pk=pk)
    item = _item(round, item_pk)
    participant = round.participants.filter(code=code).first()
    if participant is None:
        raise Http404(code)
    version_text = request.POST.get("version", "")
    expected = int(version_text) if version_text.isdigit() else None
    note = request.POST.get("note")
    state, message, score = "saved", "", None
    try:
        result = services.score_save(
            actor=request.user,
            round=round,
            participant=participant,
            item=item,
            grade=request.POST.get("grade", ""),
            note=note,
            expected_version=expected,
        )
        score = result.score
    except services.ScoreConflict as conflict:
        state, score = "conflict", conflict.current
    except ValidationError as error:
        state, message = "invalid", " ".join(error.messages)
        score = round.scores.filter(item=item, participant=participant, scorer=request.user).first()
    context = {
        "round": round,
        "item": item,
        "participant": participant,
        "score": score,
        "state": state,
        "message": message,
        "key": selectors.cell_key(participant.code, item),
        "locked": not round.is_scoring,
    }
    return render(request, "assessment/_score_response.html", context)


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_get(user=request.user, pk=pk)
    rows = selectors.results_get(user=request.user, round=round)
    items = selectors.round_items(round=round)
    outcomes = selectors.round_outcomes(round=round, results=rows)
    context = {
        "round": round,
        "rows": rows,
        "outcomes": outcomes,
        "outcome_rows": [(row, outcomes.by_result[row.pk]) for row in rows],
        "computed_at": max((r.computed_at for r in rows), default=None),
        "computed_items": [i for i in items[Component.TECHNICAL] if i.is_computed],
        "manages": request.user.has_perm(assessment_rules.MANAGE_ROUND, round),
    }
    return render(request, "assessment/results.html", context)


@login_required
@require_GET
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_get(user=request.user, pk=pk)
    rows = selectors.results_get(user=request.user, round=round)
    outcomes = selectors.round_outcomes(round=round, results=rows)
    content = exports.results_workbook(round=round, results=rows, outcomes=outcomes)
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    name = f"penilaian-kinerja-{round.province_id}-{round.conducted_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def participant_sheet(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    round = selectors.round_get(user=request.user, pk=pk)
    sheet = selectors.participant_sheet(user=request.user, round=round, code=code)
    participant = round.participants.get(code=code)
    context = {"round": round, "sheet": sheet, "participant": participant}
    return render(request, "assessment/participant_sheet.html", context)
