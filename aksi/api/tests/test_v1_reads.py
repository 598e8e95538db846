"""GET endpoints of /api/v1/: scoped, filtered, paginated, in few queries."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.services import coverage_value_save
from aksi.review.services import submission_submit

from .conftest import token_client


def _save(actor: User, desa: str, code: str = "BL-01", numerator: int = 40) -> None:
    coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code=code),
        region=Region.objects.get(code=desa),
        period="2025",
        numerator=numerator,
        denominator=50,
    )


def test_regions_are_filtered_and_paginated(api: Client) -> None:
    body = api.get("/api/v1/regions", {"parent": "35.19.01", "limit": 3}).json()
    assert body["count"] == Region.objects.filter(parent_id="35.19.01").count()
    assert [r["code"] for r in body["items"]] == ["35.19.01.2001", "35.19.01.2002", "35.19.01.2003"]
    provinces = api.get("/api/v1/regions", {"depth": 1, "limit": 100}).json()
    assert provinces["count"] == 38


def test_an_unknown_region_is_a_404_with_the_common_error_body(api: Client) -> None:
    response = api.get("/api/v1/regions/99.99")
    assert response.status_code == 404
    assert response.json() == {"detail": "No region has the code 99.99."}


def test_bad_parameters_are_a_422_naming_the_field(api: Client) -> None:
    response = api.get("/api/v1/regions", {"depth": 9})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("depth")


def test_indicators_show_their_data_elements(api: Client) -> None:
    indicators = api.get("/api/v1/indicators", {"year": 2025}).json()
    assert len(indicators) == 31
    by_code = {i["code"]: i for i in indicators}
    assert by_code["BL-01"]["data_elements"] == ["BL-01.NUM", "BL-01.DEN"]
    assert by_code["RT-03"]["data_elements"] == ["RT-03.NUM"]
    assert api.get("/api/v1/indicators", {"year": 2031}).status_code == 404


def test_values_are_read_within_the_view_scope_only(
    api: Client, kebonsari_operator: User, django_assert_max_num_queries: Any
) -> None:
    other = user_with_role("op_mlilir", Role.OPERATOR, "35.19.02")
    for desa in ("35.19.01.2001", "35.19.01.2002", "35.19.01.2003"):
        _save(kebonsari_operator, desa)
    _save(other, "35.19.02.1002")
    # auth: token, user, assignments; then scope check region, count, page
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/values", {"region": "35.19.01", "period": "2025"}).json()
    assert body["count"] == 3
    assert {v["region"] for v in body["items"]} == {
        "35.19.01.2001",
        "35.19.01.2002",
        "35.19.01.2003",
    }
    assert body["items"][0]["coverage"] == 80.0
    forbidden = api.get("/api/v1/values", {"region": "35.19", "period": "2025"})
    assert forbidden.status_code == 403


def test_the_native_bulk_upsert_reports_conflicts_by_index(
    api: Client, kebonsari_operator: User
) -> None:
    response = api.post(
        "/api/v1/values",
        {
            "values": [
                {
                    "indicator": "BL-01",
                    "region": "35.19.01.2001",
                    "period": "2025",
                    "numerator": 10,
                    "denominator": 20,
                },
                {
                    "indicator": "BL-01",
                    "region": "35.19.02.1002",
                    "period": "2025",
                    "numerator": 10,
                    "denominator": 20,
                },
                {"indicator": "BL-01", "region": "35.19.01.2002", "period": "2025"},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["imported"], body["ignored"]) == (1, 2)  # one value, both sides
    assert [(c["index"], c["code"]) for c in body["conflicts"]] == [(1, "E7617"), (2, "E7619")]


def test_submissions_progress_and_rollups_follow_the_scope(
    api: Client, kebonsari_operator: User, prov_verifier: User
) -> None:
    _save(kebonsari_operator, "35.19.01.2001")
    submission_submit(
        actor=kebonsari_operator, region=Region.objects.get(code="35.19.01"), period="2025"
    )
    mine = api.get("/api/v1/submissions", {"period": "2025"}).json()
    assert [(s["region"], s["status"]) for s in mine["items"]] == [("35.19.01", "submitted")]
    province = token_client(prov_verifier)
    assert province.get("/api/v1/submissions", {"region": "35.19"}).json()["count"] == 1
    assert api.get("/api/v1/submissions", {"region": "35"}).status_code == 403

    progress = province.get("/api/v1/progress", {"period": "2025", "region": "35.19"}).json()
    assert progress["filled"] == 1
    assert api.get("/api/v1/progress", {"period": "2025"}).status_code == 403

    rollups = province.get(
        "/api/v1/rollups",
        {"period": "2025", "region": "35", "children": "true", "indicator": "BL-01"},
    ).json()
    assert [(r["region"], r["numerator"], r["denominator"]) for r in rollups] == [("35.19", 40, 50)]


def test_the_openapi_document_describes_the_api(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Aksi API"
    assert "/api/v1/values" in schema["paths"]
    assert {"TokenAuth", "BasicAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger-ui-bundle.js" in docs.content


def test_supporting_items_and_values_are_read_within_the_view_scope(
    api: Client, kebonsari_operator: User, django_assert_max_num_queries: Any
) -> None:
    from aksi.catalogue.models import SupportingItem
    from aksi.reporting.supporting.values import supporting_value_save

    items = api.get("/api/v1/supporting-items", {"year": 2025}).json()
    by_code = {i["code"]: i for i in items}
    assert by_code["DP-05"]["unit"] == "yes_no"
    assert by_code["DP-18"]["entry_level"] == "subdistrict"

    def save(code: str, region: str, value: int, actor: User = kebonsari_operator) -> None:
        supporting_value_save(
            actor=actor,
            item=SupportingItem.objects.select_related("catalogue").get(
                catalogue__year=2025, code=code
            ),
            region=Region.objects.get(code=region),
            period="2025",
            value=value,
        )

    save("DP-01", "35.19.01.2001", 4)
    save("DP-05", "35.19.01.2002", 1)
    save("DP-18", "35.19.01", 3)
    save("DP-01", "35.19.02.1002", 9, user_with_role("op_mlilir", Role.OPERATOR, "35.19.02"))
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/supporting-values", {"region": "35.19.01", "period": "2025"}).json()
    assert body["count"] == 3
    assert {(v["item"], v["region"], v["value"]) for v in body["items"]} == {
        ("DP-01", "35.19.01.2001", 4),
        ("DP-05", "35.19.01.2002", 1),
        ("DP-18", "35.19.01", 3),
    }
    one = api.get(
        "/api/v1/supporting-values", {"region": "35.19.01", "period": "2025", "item": "DP-18"}
    ).json()
    assert [v["region"] for v in one["items"]] == ["35.19.01"]
    forbidden = api.get("/api/v1/supporting-values", {"region": "35.19", "period": "2025"})
    assert forbidden.status_code == 403


def test_target_group_counts_are_read_within_the_view_scope_with_their_source(
    api: Client, kebonsari_operator: User, django_assert_max_num_queries: Any
) -> None:
    from aksi.catalogue.models import TargetGroup
    from aksi.reporting.services import target_group_count_save

    def save(code: str, desa: str, count: int, actor: User = kebonsari_operator) -> None:
        target_group_count_save(
            actor=actor,
            target_group=TargetGroup.objects.get(code=code),
            region=Region.objects.get(code=desa),
            period="2025",
            count=count,
        )

    save("pregnant_woman", "35.19.01.2001", 41)
    save("newborn", "35.19.01.2001", 37)
    save("pregnant_woman", "35.19.01.2002", 18)
    save(
        "pregnant_woman", "35.19.02.1002", 9, user_with_role("op_mlilir", Role.OPERATOR, "35.19.02")
    )
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/target-group-counts", {"region": "35.19.01", "period": "2025"})
    body = body.json()
    assert body["count"] == 3
    assert {(c["target_group"], c["region"], c["count"]) for c in body["items"]} == {
        ("pregnant_woman", "35.19.01.2001", 41),
        ("newborn", "35.19.01.2001", 37),
        ("pregnant_woman", "35.19.01.2002", 18),
    }
    assert {c["source"] for c in body["items"]} == {"entered"}
    assert {c["updated_by"] for c in body["items"]} == {"op_kebonsari"}
    one = api.get(
        "/api/v1/target-group-counts",
        {"region": "35.19.01.2001", "period": "2025", "target_group": "newborn"},
    ).json()
    assert [(c["target_group"], c["count"]) for c in one["items"]] == [("newborn", 37)]
    forbidden = api.get("/api/v1/target-group-counts", {"region": "35.19", "period": "2025"})
    assert forbidden.status_code == 403
    bad = api.get(
        "/api/v1/target-group-counts",
        {"region": "35.19.01", "period": "2025", "target_group": "no such; group"},
    )
    assert bad.status_code == 422
