"""Pages of the API: personal access tokens (create, shown once; revoke) and webhooks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aksi.accounts.scopes import managed_scope
from aksi.api import services, webhooks
from aksi.api.models import AccessToken, Webhook
from aksi.regions.models import Region


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses the token, e.g. “Dashboard Dinkes NTB”."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=services.MAX_DAYS, initial=90
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.access_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
            form = TokenForm()
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    tokens = AccessToken.objects.filter(user=request.user)
    context = {
        "form": form,
        "tokens": tokens,
        "secret": secret,
        "manages_webhooks": _administers(request.user),
    }
    return render(request, "api/token_list.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    services.access_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Aksi sends a signed POST to this address."),
    )
    region_code = forms.CharField(
        label=gettext_lazy("Region code"),
        max_length=13,
        required=False,
        help_text=gettext_lazy("Reports of this region and every region below it, e.g. 52.03."),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("When"),
        choices=Webhook.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Webhook.Event.SUBMITTED, Webhook.Event.VERIFIED, Webhook.Event.RETURNED],
    )


def _administers(user: Any) -> bool:
    return not managed_scope(user).is_empty


@login_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    if not _administers(request.user):
        raise PermissionDenied(_("Only region admins and the central team manage webhooks."))
    form = WebhookForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["region_code"].strip()
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            form.add_error("region_code", _("No region has the code %(code)s.") % {"code": code})
        else:
            try:
                _hook, secret = webhooks.webhook_create(
                    actor=request.user,
                    url=form.cleaned_data["url"],
                    region=region,
                    events=form.cleaned_data["events"],
                )
                form = WebhookForm()
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except PermissionDenied as denied:
                form.add_error("region_code", str(denied))
    hooks = webhooks.webhooks_for_user(request.user)
    return render(
        request, "api/webhook_list.html", {"form": form, "webhooks": hooks, "secret": secret}
    )


@login_required
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(webhooks.webhooks_for_user(request.user), pk=pk)
    if request.method == "POST" and hook.is_active:
        webhooks.webhook_deactivate(actor=request.user, webhook=hook)
        messages.success(request, _("The webhook is switched off."))
        return redirect("api:webhook", pk=hook.pk)
    deliveries = hook.deliveries.all()[:50]
    return render(request, "api/webhook_detail.html", {"webhook": hook, "deliveries": deliveries})
