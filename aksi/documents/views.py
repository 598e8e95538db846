"""Pages of the document registers: list, add, detail with history, edit, revoke, remove, and
the download, which checks the reader's scope and never hands out a public media address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aksi.core import audit_selectors
from aksi.core.forms import form_submit
from aksi.documents import files, selectors, services
from aksi.documents.forms import (
    DocumentFilterForm,
    DocumentForm,
    RemoveForm,
    RevokeForm,
    document_initial,
)
from aksi.documents.models import Document, DocumentKind
from aksi.documents.rules import WRITE_DOCUMENT

PAGE_SIZE = 50
HISTORY_SIZE = 50


@login_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    regions = selectors.document_filter_regions(user=request.user)
    form = DocumentFilterForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "regions": regions,
        "page": None,
        "may_add": selectors.document_may_add(user=request.user),
    }
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        documents = selectors.document_list(user=request.user, **filters)
        page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, filtered=any(filters.values()))
    template = "documents/list.html#results" if request.htmx else "documents/list.html"
    return render(request, template, context)


def _form_page(request: HttpRequest, form: DocumentForm, document: Document | None) -> HttpResponse:
    # A browser cannot refill a file input: say so when a chosen file was not saved.
    file_lost = bool(request.FILES.get("file")) and bool(form.errors)
    context = {"form": form, "document": document, "file_lost": file_lost}
    return render(request, "documents/form.html", context)


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    if not selectors.document_may_add(user=request.user):
        raise PermissionDenied(_("You keep no document register."))
    initial: dict[str, Any] = {"year": selectors.document_default_year()}
    if request.GET.get("kind") in DocumentKind.values:
        initial["kind"] = request.GET["kind"]
    form = DocumentForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        document = form_submit(
            form, services.document_create, actor=request.user, **form.service_arguments()
        )
        if document is not None:
            messages.success(request, _("The document was added to the register."))
            return redirect("documents:detail", pk=document.pk)
    return _form_page(request, form, None)


@login_required
@require_GET
def kind_fields(request: HttpRequest) -> HttpResponse:
    """The fields that depend on the kind and year (htmx), keeping what was typed in them."""
    document = None
    pk = request.GET.get("document", "")
    if pk.isdigit():
        document = selectors.document_get(user=request.user, pk=int(pk))
    initial = {key: request.GET.get(key, "") for key in DocumentForm.base_fields}
    form = DocumentForm(user=request.user, document=document, initial=initial)
    return render(request, "documents/form.html#kind_fields", {"form": form, "document": document})


def _writable(request: HttpRequest, pk: int) -> Document:
    document = selectors.document_get(user=request.user, pk=pk)
    if not request.user.has_perm(WRITE_DOCUMENT, document):
        raise PermissionDenied(
            _("You do not keep the documents of %(region)s.") % {"region": document.region.name}
        )
    return document


def _detail_page(
    request: HttpRequest,
    document: Document,
    *,
    revoke_form: RevokeForm | None = None,
    remove_form: RemoveForm | None = None,
) -> HttpResponse:
    """The detail page; after a refused action, with that action's form open and its errors
    (status 200, as htmx expects)."""
    history = selectors.document_history(user=request.user, document=document)
    page = Paginator(history, HISTORY_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.summary = audit_selectors.audit_data_summary(  # type: ignore[attr-defined]
            selectors.document_event_data(event.data)
        )
    context = {
        "document": document,
        "history": page,
        "may_write": request.user.has_perm(WRITE_DOCUMENT, document),
        "revoke_form": revoke_form or RevokeForm(),
        "remove_form": remove_form or RemoveForm(),
        "open_action": "revoke" if revoke_form else "remove" if remove_form else "",
    }
    return render(request, "documents/detail.html", context)


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.document_get(user=request.user, pk=pk))


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _writable(request, pk)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        document=document,
        initial=document_initial(document),
    )
    if request.method == "POST" and form.is_valid():
        updated = form_submit(
            form,
            services.document_update,
            actor=request.user,
            document=document,
            expected_version=form.cleaned_data["version"],
            **form.service_arguments(),
        )
        if updated is not None:
            messages.success(request, _("The document was saved."))
            return redirect("documents:detail", pk=updated.pk)
    return _form_page(request, form, document)


@login_required
@require_POST
def document_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    document = _writable(request, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        revoked = form_submit(
            form,
            services.document_revoke,
            actor=request.user,
            document=document,
            **form.cleaned_data,
        )
        if revoked is not None:
            messages.success(request, _("The regulation is marked as revoked."))
            return redirect("documents:detail", pk=document.pk)
    return _detail_page(request, document, revoke_form=form)


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = _writable(request, pk)
    form = RemoveForm(request.POST)
    if form.is_valid():
        removed = form_submit(
            form,
            services.document_delete,
            actor=request.user,
            document=document,
            reason=form.cleaned_data["reason"],
        )
        if removed is not None:
            messages.success(
                request,
                _("“%(title)s” was removed from the register; its history is kept.")
                % {"title": removed.title},
            )
            return redirect("documents:list")
    return _detail_page(request, document, remove_form=form)


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file, as an attachment under the name it was uploaded with; readers only."""
    document = selectors.document_get(user=request.user, pk=pk)
    return files.file_response(document)
