"""Query budgets: every list page and API list, on enough rows that an N+1 would show.

One synthetic kabupaten (`aksi synth`, Kab. Madiun 35.19: 15 kecamatan, 206 desa, every
catalogue year) gives values, target-group counts, submissions in every state, rollups and an
account per kecamatan; 25 extra users, decrees, tokens, webhooks and audit events are added for
the management lists. Each page is fetched once and must stay under a fixed cap; a per-row query
(an N+1) would add 15 to 200+ queries and break it.

What the requests spend in common (counted in every cap below):
- session: the session row (1), the user (1), the session saved again at the end (1-2:
  SESSION_SAVE_EVERY_REQUEST), the user's role assignments with their regions and decrees (1-2,
  memoised per request by aksi.accounts.scopes);
- django-otp: the user's confirmed devices (0-1).
Page-specific queries are described next to each case. Caps are the measured count plus a small
margin (about 20 %) so that an added feature query does not fail the suite but a loop does.
Set AKSI_QUERY_BUDGET_VERBOSE=1 to print every captured query.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from aksi.accounts.models import AppointmentDecree, Role, RoleAssignment, User
from aksi.api.models import AccessToken, Webhook
from aksi.api.services import access_token_create
from aksi.core.models import AuditEvent, AuditEventType
from aksi.review.models import Submission
from aksi.synth.services import USER_PREFIX, synth_generate

DISTRICT = "35.19"  # Kab. Madiun
SUBDISTRICT = "35.19.01"  # Kec. Kebonsari
ROWS = 25  # users, decrees, webhooks, audit events added for the management lists
TOKENS = 20  # a user holds at most 20 valid tokens


@dataclass(frozen=True)
class World:
    period: str
    year: int
    admin: User
    verifier: User
    operator: User
    viewer: User
    district_admin: User


@pytest.fixture
def world(db: None, central_admin: User) -> World:
    result = synth_generate(size="kabupaten", region_code=DISTRICT, seed=3)
    period = max(result.periods)
    users = {u.username: u for u in User.objects.filter(username__startswith=USER_PREFIX)}
    viewer = User.objects.create_user(username="viewer_madiun", password="correct horse battery")
    RoleAssignment.objects.create(user=viewer, role=Role.VIEWER, region_id=DISTRICT)
    district_admin = users[f"{USER_PREFIX}{DISTRICT}-admin"]
    # The management lists: users (each with a role), decrees, tokens, webhooks, audit rows.
    for i in range(ROWS):
        user = User.objects.create_user(username=f"extra{i:02}", password="x" * 12)
        RoleAssignment.objects.create(user=user, role=Role.OPERATOR, region_id=f"{DISTRICT}.01")
        AppointmentDecree.objects.create(
            region_id=DISTRICT,
            number=f"100/{i}/2025",
            decree_date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            signed_by="Bupati Madiun",
            year=2025,
            valid_from=dt.date(2025, 1, 1),
            file=ContentFile(b"%PDF-1.4\n", name=f"sk{i}.pdf"),
            created_by=user,
        )
        if i < TOKENS:
            access_token_create(user=district_admin, name=f"system {i}", days=30)
        Webhook.objects.create(
            owner=district_admin,
            region_id=DISTRICT,
            url=f"https://example.org/hook/{i}",
            secret="s" * 48,
            events=[Webhook.Event.values[0]],
        )
        AuditEvent.objects.create(
            event_type=AuditEventType.WEBHOOK_CREATED,
            actor=user,
            region_code=DISTRICT,
            data={"i": i},
        )
    assert Submission.objects.filter(period=period, region__code__startswith=DISTRICT).count() >= 15
    assert AccessToken.objects.filter(user=district_admin).count() == TOKENS
    return World(
        period=period,
        year=int(period[:4]),
        admin=central_admin,
        verifier=users[f"{USER_PREFIX}{DISTRICT}-verifier"],
        operator=users[f"{USER_PREFIX}{SUBDISTRICT}-operator"],
        viewer=viewer,
        district_admin=district_admin,
    )


@dataclass(frozen=True)
class Case:
    """A page: who opens it, its address (from the world), its cap, and a text proving rows."""

    who: str
    url: Callable[[World], str]
    cap: int
    contains: str = ""
    status: int = 200


def _fetch(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    if getattr(response, "streaming", False):
        # A streamed list queries while it streams: consume it inside the count.
        return response.status_code, b"".join(response.streaming_content).decode()
    return response.status_code, response.content.decode()


# Every cap = the common part (see the module docstring: S session, U user, R role assignments,
# W session written back; SAVEPOINT/RELEASE pairs around the session write count too)
# + the queries listed. Measured counts are in brackets.
# fmt: off
CASES: dict[str, Case] = {
    # Region browser. National [10]: top regions, indicator list, children counts.
    "regions_browse_national": Case("viewer", lambda w: "/regions/", 13, "Jawa Timur"),
    # A kabupaten [16]: the region, its ancestors (breadcrumb), 15 kecamatan with their desa
    # counts in one GROUP BY, its indicators, rollup/submission summaries.
    "regions_browse_district": Case("viewer", lambda w: f"/regions/{DISTRICT}/", 19, "Kebonsari"),
    # Search [8]: one LIKE query with parents joined.
    "regions_search": Case("viewer", lambda w: "/regions/search/?q=madiun", 11, "Madiun"),
    # Catalogue list [12]: the year, its 31 indicators with steps/pillars/target groups joined,
    # the user's permissions (2: rules' has_perm cache).
    "catalogue_indicators": Case("viewer", lambda w: "/catalogue/", 15, "RT-05"),
    # Framework [13]: pillars, actions, steps, national targets, each one query.
    "catalogue_framework": Case("viewer", lambda w: "/catalogue/framework/", 16),
    # Catalogue management [9]: catalogues, reporting years.
    "catalogue_manage": Case("admin", lambda w: "/catalogue/manage/", 12),
    "catalogue_manage_year": Case("admin", lambda w: f"/catalogue/manage/{w.year}/", 12),
    # Users of the kabupaten admin [9]: count + one page of users with their roles prefetched.
    "users_list": Case("district_admin", lambda w: "/users/", 12, "extra24"),
    # Decrees [9]: count + one page, region joined.
    "decrees_list": Case("district_admin", lambda w: "/users/decrees/", 12, "100/24/2025"),
    # Audit log [8]: count + one page of events with their actors joined (25 actors).
    "audit_log": Case("admin", lambda w: "/audit/", 11, "extra24"),
    # Entry: the operator's kecamatan [8]: reporting year, kecamatan with kabupaten joined.
    "entry_index": Case("operator", lambda w: "/entry/", 11, SUBDISTRICT),
    # Grid [14]: kecamatan, year+catalogue, indicators, desa, values of all desa (one query),
    # target-group counts, submission lock, entry switch, units. 12+ desa x 31 indicators.
    "entry_grid": Case("operator", lambda w: f"/entry/{w.period}/{SUBDISTRICT}/", 17, "hx-post"),
    # Target-group grid [13]: groups, counts of all desa, lock, entry switch.
    "entry_target_groups": Case(
        "operator", lambda w: f"/entry/{w.period}/{SUBDISTRICT}/target-groups/", 16
    ),
    # One desa's values with history [12].
    "entry_village": Case(
        "operator", lambda w: f"/entry/{w.period}/{SUBDISTRICT}.2001/village/", 15
    ),
    # Validation rules of the year [11]: rules, indicators.
    "entry_rules": Case("operator", lambda w: f"/entry/rules/{w.year}/", 14),
    # Set-up index [8] redirects a kabupaten admin to their kabupaten's set-up (next case).
    "entry_setup_index": Case("district_admin", lambda w: "/entry/setup/", 11, status=302),
    # Set-up of a kabupaten [10]: duties, units, entry switch with pilot kecamatan.
    "entry_setup_district": Case(
        "district_admin", lambda w: f"/entry/setup/{DISTRICT}/{w.year}/", 13
    ),
    # Verification inbox [13]: 15 kecamatan submissions with regions and people joined, value
    # counts per kecamatan in one GROUP BY, expected counts, rule outcomes summary.
    "review_inbox": Case("verifier", lambda w: f"/review/?period={w.period}", 16, "Kebonsari"),
    # Home of an operator [19]: notices, their region's progress (rollups, submissions).
    "home_operator": Case("operator", lambda w: "/", 23),
    # Dashboards [21-22]: year, indicators, rollups of the region and its children, submissions
    # and timeliness of the children, each one query per section (3 sections).
    "dashboard_national": Case("admin", lambda w: "/analytics/", 26),
    "dashboard_province": Case("admin", lambda w: "/analytics/35/", 25, "Madiun"),
    "dashboard_district": Case("viewer", lambda w: f"/analytics/{DISTRICT}/", 25, "Kebonsari"),
    # Scorecards [13-15]: year, indicators, rollups of the children (3 queries).
    "scorecard_national": Case("admin", lambda w: "/analytics/scorecard/", 16),
    "scorecard_district": Case(
        "viewer", lambda w: f"/analytics/{DISTRICT}/scorecard/", 18, "Kebonsari"
    ),
    # Map [14]: indicator, children, their rollups, their boundaries (one query each).
    "map_national": Case("admin", lambda w: "/map/", 17),
    "map_province": Case("admin", lambda w: "/map/35/", 17),
    # Prevalence [10-14]: administrative counts, survey prevalence, national targets.
    "prevalence_national": Case("admin", lambda w: "/prevalence/", 13),
    "prevalence_district": Case("viewer", lambda w: f"/prevalence/{DISTRICT}/", 17),
    # Public pages, anonymous [14-15]: no session; prevalence, targets, rollups and submissions
    # of the region and its children.
    "public_national": Case("anonymous", lambda w: "/public/", 18),
    "public_province": Case("anonymous", lambda w: "/public/35/", 18, "Madiun"),
    "public_district": Case("anonymous", lambda w: f"/public/{DISTRICT}/", 17, "Kebonsari"),
    # Tokens [7]: the user's 20 tokens, one query. Webhooks [7]: 25 webhooks, region joined.
    "tokens_list": Case("district_admin", lambda w: "/tokens/", 10, "system 19"),
    "webhooks_list": Case("district_admin", lambda w: "/tokens/webhooks/", 10, "hook/24"),
    # API v1 lists, session authentication [5-9]: one list query (+ count when paginated),
    # the scope's role assignments.
    "api_regions": Case(
        "viewer", lambda w: f"/api/v1/regions?parent={SUBDISTRICT}&limit=100", 10, "Tambakmas"
    ),
    "api_indicators": Case("viewer", lambda w: "/api/v1/indicators", 10),
    "api_steps": Case("viewer", lambda w: f"/api/v1/steps?year={w.year}", 9),
    "api_periods": Case("viewer", lambda w: f"/api/v1/periods?year={w.year}", 8),
    "api_values": Case(
        "viewer",
        lambda w: f"/api/v1/values?region={SUBDISTRICT}&period={w.period}&limit=500",
        12,
        f"{SUBDISTRICT}.2012",
    ),
    "api_submissions": Case("viewer", lambda w: "/api/v1/submissions?limit=100", 11, SUBDISTRICT),
    "api_rollups": Case(
        "viewer",
        lambda w: f"/api/v1/rollups?period={w.period}&region={DISTRICT}&children=true",
        11,
        "35.19.15",
    ),
    # DHIS2-compatible lists [7]: one list query each; data values stream in one query.
    "dhis2_organisation_units": Case(
        "viewer",
        lambda w: f"/api/organisationUnits.json?filter=parent.code:eq:{SUBDISTRICT}",
        10,
        "Tambakmas",
    ),
    "dhis2_data_elements": Case("viewer", lambda w: "/api/dataElements.json", 10),
    "dhis2_data_sets": Case("viewer", lambda w: "/api/dataSets.json", 10),
    "dhis2_data_value_sets": Case(
        "viewer",
        lambda w: f"/api/dataValueSets.json?orgUnit={SUBDISTRICT}&children=true&period={w.period}",
        10,
        f"{SUBDISTRICT}.2012",
    ),
}
# fmt: on


@pytest.mark.parametrize("name", list(CASES))
def test_page_stays_within_its_query_budget(
    name: str, world: World, django_assert_max_num_queries: Any
) -> None:
    case = CASES[name]
    client = Client()
    if case.who != "anonymous":
        client.force_login(getattr(world, case.who))
    url = case.url(world)
    with django_assert_max_num_queries(case.cap) as captured:
        status, body = _fetch(client, url)
    if os.environ.get("AKSI_QUERY_BUDGET_VERBOSE"):
        print(f"\n== {name} {url}: {len(captured)} queries, status {status}")
        for query in captured.captured_queries:
            print("  ", query["sql"][:300])
    assert status == case.status, (name, url, status)
    # The list really has its rows (an empty page would pass any budget).
    assert case.contains in body, (name, url, case.contains)
