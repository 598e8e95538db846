"""Load-test accounts: pick the synthetic operators and verifiers, add viewers, write the list.

Run by loadtest/setup.sh after `aksi synth` (whose accounts share the password
aksi.synth.services.PASSWORD). Operators are those whose kecamatan has an editable submission
(draft, returned, reopened) in the latest generated period, so their saves are real writes;
verifiers are the kabupaten verifiers; viewers are created here (role viewer on a kabupaten or
a province) with the same password. Writes $LOADTEST_USERS_FILE (JSON) for locust.

Usage: python loadtest/users.py PROVINCE [PROVINCE ...]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(provinces: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aksi.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db.models import Q

    from aksi.accounts.models import Role, RoleAssignment, User
    from aksi.regions.models import Level, Region
    from aksi.review.models import Submission
    from aksi.synth.services import PASSWORD, USER_PREFIX

    in_scope = Q()
    for code in provinces:
        in_scope |= Q(region__code__startswith=f"{code}.")
    period = (
        Submission.objects.filter(in_scope)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if period is None:
        sys.exit("No synthetic submissions: run `aksi synth` first.")
    editable = (
        Submission.objects.filter(in_scope, period=period)
        .exclude(status__in=Submission.LOCKING)
        .order_by("region_id")
        .values_list("region_id", flat=True)
    )
    names = {f"{USER_PREFIX}{code}-operator": code for code in editable}
    have = set(User.objects.filter(username__in=list(names)).values_list("username", flat=True))
    operators = [{"username": n, "subdistrict": c} for n, c in names.items() if n in have]

    districts = list(
        Region.objects.filter(level=Level.DISTRICT, valid_to__isnull=True, parent_id__in=provinces)
        .order_by("code")
        .values_list("code", flat=True)
    )
    verifiers = [
        {"username": f"{USER_PREFIX}{code}-verifier", "region": code}
        for code in [*districts, *provinces]
        if User.objects.filter(username=f"{USER_PREFIX}{code}-verifier").exists()
    ]

    password = make_password(PASSWORD)
    viewers = []
    for code in [*districts, *provinces]:
        name = f"loadtest-{code}-viewer"
        user, created = User.objects.get_or_create(
            username=name,
            defaults={
                "password": password,
                "full_name": f"Viewer {code}",
                "email": f"{name}@loadtest.invalid",
            },
        )
        if created:
            RoleAssignment.objects.create(user=user, role=Role.VIEWER, region_id=code)
        viewers.append({"username": name, "region": code})

    subdistricts = list(
        Region.objects.filter(
            level=Level.SUBDISTRICT, valid_to__isnull=True, parent__parent_id__in=provinces
        ).values_list("code", flat=True)
    )
    data = {
        "password": PASSWORD,
        "period": period,
        "provinces": provinces,
        "districts": districts,
        "subdistricts": subdistricts,
        "operators": operators,
        "verifiers": verifiers,
        "viewers": viewers,
    }
    target = Path(os.environ["LOADTEST_USERS_FILE"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=1))
    print(
        f"{len(operators)} operators (editable in {period}), {len(verifiers)} verifiers, "
        f"{len(viewers)} viewers -> {target}"
    )


if __name__ == "__main__":
    main(sys.argv[1:] or ["35", "52", "61"])
