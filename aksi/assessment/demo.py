"""The demo's penilaian kinerja: Nusa Tenggara Barat assessed its ten kab/kota in 2026 on 2025.

Graded through the services by the demo's technical team (the provincial reviewer) and its two
panelists (a demo made before the second one existed gets it here), closed, computed and
published. The grades are invented but fixed (a seeded generator): the same ranking on every
machine. Idempotent: nothing is done when the round exists.
"""

from __future__ import annotations

import random

from django.db import transaction

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound, Component
from aksi.core.demo import DEMO_PASSWORD
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Region

DEMO_PROVINCE = "52"
DEMO_CONDUCTED_YEAR = 2026
DEMO_TITLE = (
    "Penilaian Kinerja Aksi Konvergensi Stunting Kabupaten/Kota Provinsi Nusa Tenggara Barat "
    "Tahun 2026"
)
TECHNICAL_SCORER = "ntb.reviewer"
PANELISTS = ("ntb.panelis", "ntb.panelis2")
SECOND_PANELIST_NAME = "Prof. Siti Aminah"
# How strong each kab/kota's grades are (0 weakest … 3 strongest); the rest are middling.
STRENGTH = {"52.71": 3, "52.03": 3, "52.02": 2, "52.72": 2, "52.08": 0}


def _second_panelist(province: Region) -> User:
    """A second demo panelist (with the `panelist` role on the province), made once."""
    user, created = User.objects.get_or_create(
        username=PANELISTS[1],
        defaults={
            "full_name": SECOND_PANELIST_NAME,
            "email": f"{PANELISTS[1]}@demo.aksi.invalid",
            "is_demo": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        RoleAssignment.objects.create(user=user, role=Role.PANELIST, region=province)
        audit_event_record(
            event_type=AuditEventType.USER_CREATED,
            actor_label="aksi demo seed",
            target=user,
            region_code=province.code,
            data={"role": Role.PANELIST, "region": province.code, "demo": True},
        )
    return user


def _grade(rng: random.Random, strength: int, letters: list[str]) -> str:
    # Strong regions mostly get A/B, weak ones C/D; one blank in fifty.
    if rng.random() < 0.02:
        return ""
    best = max(0, 2 - strength)
    return letters[min(len(letters) - 1, best + rng.choice((0, 0, 1, 1, 2)))]


@transaction.atomic
def assessment_demo_seed() -> int:
    """Create, score and publish the demo round; returns 1 when made, 0 when it was there (or
    the demo accounts are missing)."""
    province = Region.objects.filter(code=DEMO_PROVINCE).first()
    admin = User.objects.filter(username="ntb.admin", is_demo=True).first()
    technical = User.objects.filter(username=TECHNICAL_SCORER, is_demo=True).first()
    first_panelist = User.objects.filter(username=PANELISTS[0], is_demo=True).first()
    if province is None or admin is None or technical is None or first_panelist is None:
        return 0
    if AssessmentRound.objects.filter(
        province=province, conducted_year=DEMO_CONDUCTED_YEAR
    ).exists():
        return 0
    panelists = [first_panelist, _second_panelist(province)]
    round = services.round_create(
        actor=admin, province=province, conducted_year=DEMO_CONDUCTED_YEAR, title=DEMO_TITLE
    )
    for panelist in panelists:
        services.round_panelist_add(actor=admin, round=round, user=panelist)
    services.round_open_scoring(actor=admin, round=round)
    rng = random.Random(DEMO_CONDUCTED_YEAR)
    letters = round.grade_letters
    items = list(round.items.order_by("order"))
    for participant in round.participants.order_by("code"):
        strength = STRENGTH.get(participant.code, 1)
        for item in items:
            if item.is_computed:
                continue
            scorers = [technical] if item.component == Component.TECHNICAL else panelists
            for scorer in scorers:
                services.score_save(
                    actor=scorer,
                    round=round,
                    participant=participant,
                    item=item,
                    grade=_grade(rng, strength, letters),
                )
    services.round_close(actor=admin, round=round)
    services.round_publish(actor=admin, round=round)
    return 1
