"""The main menu, by role: each entry names the roles that see it (None: everyone)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aksi.accounts.models import Role
from aksi.accounts.scopes import held_roles


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: everybody, signed in or not
    signed_in: bool = False
    more: bool = False  # under "More": reference and administration pages


MENU = [
    NavItem(_("Home"), "home"),
    NavItem(_("Dashboard"), "analytics:dashboard_national", signed_in=True),
    NavItem(
        _("Data entry"),
        "reporting:entry",
        roles=frozenset({Role.OPERATOR, Role.VERIFIER, Role.REGION_ADMIN}),
        signed_in=True,
    ),
    NavItem(
        _("Verification"),
        "review:inbox",
        roles=frozenset(
            {Role.VERIFIER, Role.REGION_ADMIN, Role.PROVINCIAL_REVIEWER, Role.CENTRAL_ADMIN}
        ),
        signed_in=True,
    ),
    NavItem(_("Documents"), "documents:list", signed_in=True),
    NavItem(_("Assessment"), "assessment:list", signed_in=True),
    NavItem(_("Regions"), "regions:browse"),
    NavItem(_("Map"), "maps:national", signed_in=True),
    NavItem(_("Prevalence"), "prevalence:national", signed_in=True),
    NavItem(_("Indicators"), "catalogue:indicators"),
    NavItem(_("Action framework"), "catalogue:framework", more=True),
    NavItem(
        _("Validation rules"),
        "reporting:rules_current",
        roles=frozenset(
            {
                Role.OPERATOR,
                Role.VERIFIER,
                Role.REGION_ADMIN,
                Role.CENTRAL_ADMIN,
                Role.CENTRAL_MONITOR,
                Role.PROVINCIAL_REVIEWER,
            }
        ),
        signed_in=True,
        more=True,
    ),
    NavItem(
        _("Reporting setup"),
        "reporting:setup_index",
        roles=frozenset({Role.REGION_ADMIN, Role.CENTRAL_ADMIN}),
        signed_in=True,
        more=True,
    ),
    NavItem(
        _("Manage catalogue"),
        "catalogue:manage",
        roles=frozenset({Role.CENTRAL_ADMIN}),
        signed_in=True,
        more=True,
    ),
    NavItem(
        _("Audit log"),
        "audit:log",
        roles=frozenset({Role.CENTRAL_ADMIN, Role.REGION_ADMIN}),
        signed_in=True,
        more=True,
    ),
    NavItem(
        _("Users"),
        "accounts:users",
        roles=frozenset({Role.CENTRAL_ADMIN, Role.REGION_ADMIN}),
        signed_in=True,
    ),
    NavItem(
        _("Import from source systems"),
        "sources:upload",
        roles=frozenset({Role.OPERATOR, Role.VERIFIER, Role.REGION_ADMIN, Role.CENTRAL_ADMIN}),
        signed_in=True,
        more=True,
    ),
    NavItem(_("API and webhooks"), "api:tokens", signed_in=True, more=True),
    NavItem(_("Aksi Publikasi"), "public:national", more=True),
    NavItem(_("Guide"), "guide:index"),
]


def user_roles(user: object) -> set[str]:
    roles = held_roles(user)
    if getattr(user, "is_superuser", False):
        roles = roles | {Role.CENTRAL_ADMIN}
    return roles


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    roles = user_roles(user) if signed_in else set()
    items = []
    for item in MENU:
        if item.signed_in and not signed_in:
            continue
        if item.roles is not None and not (roles & item.roles):
            continue
        items.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "current": False,
                # Visitors see few entries: all of them in the bar.
                "more": item.more and signed_in,
            }
        )
    # The current entry is the one with the longest URL the path starts with (so /catalogue/
    # does not light up on /catalogue/manage/).
    matches = [
        entry
        for entry in items
        if request.path == entry["url"]
        or (entry["url"] != "/" and request.path.startswith(entry["url"]))
    ]
    if matches:
        max(matches, key=lambda entry: len(str(entry["url"])))["current"] = True
    return items
