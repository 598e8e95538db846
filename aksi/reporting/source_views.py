"""The upload page of the source-system importers: check a file (dry run), then store it."""

from __future__ import annotations

import io
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aksi.accounts.rules import is_central_admin
from aksi.accounts.scopes import entry_scope
from aksi.lib.tabular import MAX_BYTES
from aksi.reporting.sources import BKKBN, DUKCAPIL, EPPGBM, LAYOUTS, source_import

SESSION_KEY = "aksi_source_upload"
KEEP_SECONDS = 24 * 3600


class SourceForm(forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("Source"),
        choices=[(key, layout.name) for key, layout in LAYOUTS.items()],
    )
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "source-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    # Checked files not applied within a day are dropped.
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


@login_required
def source_upload(request: HttpRequest) -> HttpResponse:
    if entry_scope(request.user).is_empty and not is_central_admin(request.user):
        raise PermissionDenied(_("Only officers who enter data import source files."))
    context: dict[str, object] = {"layouts": (EPPGBM, BKKBN), "dukcapil": DUKCAPIL}
    if request.method == "POST" and request.POST.get("token"):
        stored = request.session.get(SESSION_KEY) or {}
        token = request.POST["token"]
        if not secrets.compare_digest(str(stored.get("token", "")), token):
            context["expired"] = True
            context["form"] = SourceForm()
            return render(request, "reporting/source_upload.html", context)
        path = _folder() / f"{token}.upload"
        with path.open("rb") as upload:
            report = source_import(
                actor=request.user,
                layout=stored["layout"],
                upload=upload,
                name=stored["name"],
                dry_run=False,
            )
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        context |= {"report": report, "form": SourceForm(), "name": stored["name"]}
        return render(request, "reporting/source_upload.html", context)
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error(
                "file", _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 1024**2}
            )
        else:
            data = upload.read()
            layout = form.cleaned_data["layout"]
            report = source_import(
                actor=request.user,
                layout=layout,
                upload=io.BytesIO(data),
                name=upload.name,
                dry_run=True,
            )
            context |= {"report": report, "name": upload.name}
            if report.ok:
                token = secrets.token_urlsafe(16)
                (_folder() / f"{token}.upload").write_bytes(data)
                request.session[SESSION_KEY] = {
                    "token": token,
                    "layout": layout,
                    "name": upload.name,
                }
                context["token"] = token
    context["form"] = form
    return render(request, "reporting/source_upload.html", context)
