"""Form glue shared by the apps' views: a service's refusal shown on the form that asked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def form_errors_add(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal as form errors, on the field it names when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_submit(form: forms.Form, service: Any, **kwargs: Any) -> Any:
    """Call a service for a valid form; its refusal (invalid data or no permission) lands on
    the form, which keeps what was typed, and None is returned."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form_errors_add(form, error)
    except PermissionDenied as denied:
        form.add_error(None, str(denied) or _("Not allowed."))
    return None
