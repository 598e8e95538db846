"""The demo: Nusa Tenggara Barat with two kab/kota set up, their units, and one user per role.

The regions are real (Kepmendagri codes); the people are invented. Idempotent: a second run
creates nothing and prints the same accounts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Region
from aksi.reporting.models import ReportingUnit, Sector, UnitKind

DEMO_PASSWORD = "demo-aksi-2025"
DEMO_PROVINCE = "52"  # Nusa Tenggara Barat (WITA)
DEMO_DISTRICTS = {
    "52.03": ("Lombok Timur", ["52.03.07", "52.03.02"]),  # Selong, Sakra
    "52.71": ("Mataram", ["52.71.01", "52.71.02"]),  # Ampenan, Mataram
}

DISTRICT_AGENCIES = [
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", Sector.PLANNING),
    ("Dinas Kesehatan", "Dinkes", Sector.HEALTH),
    (
        "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan "
        "Perlindungan Anak",
        "DP3AP2KB",
        Sector.FAMILY_PLANNING,
    ),
    ("Dinas Sosial", "Dinsos", Sector.SOCIAL),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", Sector.VILLAGE_EMPOWERMENT),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", Sector.CIVIL_REGISTRY),
    ("Dinas Pekerjaan Umum dan Perumahan Rakyat", "PUPR/Perkim", Sector.PUBLIC_WORKS),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    region_code: str | None
    unit_short_name: str | None = None


def _accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount("pusat.admin", "Rina Admin Pusat", Role.CENTRAL_ADMIN, None),
        DemoAccount("pusat.monitor", "Bayu Tenaga Ahli", Role.CENTRAL_MONITOR, None),
        DemoAccount("ntb.admin", "Lalu Admin Bappeda NTB", Role.REGION_ADMIN, "52", "Bappeda"),
        DemoAccount("ntb.reviewer", "Baiq Reviewer NTB", Role.PROVINCIAL_REVIEWER, "52"),
        DemoAccount("ntb.panelis", "Dr. Made Panelis", Role.PANELIST, "52"),
        DemoAccount("ntb.panelis2", "Prof. Siti Aminah", Role.PANELIST, "52"),
        DemoAccount("ntb.viewer", "Sri Pemantau NTB", Role.VIEWER, "52"),
    ]
    for code, (slug_name, subdistricts) in DEMO_DISTRICTS.items():
        slug = slug_name.lower().replace(" ", "")
        accounts += [
            DemoAccount(
                f"{slug}.admin", f"Admin Bappeda {slug_name}", Role.REGION_ADMIN, code, "Bappeda"
            ),
            DemoAccount(
                f"{slug}.verifikator",
                f"Verifikator Bappeda {slug_name}",
                Role.VERIFIER,
                code,
                "Bappeda",
            ),
            DemoAccount(
                f"{slug}.dinkes", f"Operator Dinkes {slug_name}", Role.OPERATOR, code, "Dinkes"
            ),
        ]
        kec = subdistricts[0]
        accounts += [
            DemoAccount(
                f"{slug}.kec.operator",
                f"Operator Kecamatan ({slug_name})",
                Role.OPERATOR,
                kec,
                "Kecamatan",
            ),
            DemoAccount(
                f"{slug}.kec.verifikator",
                f"Verifikator Kecamatan ({slug_name})",
                Role.VERIFIER,
                kec,
                "Kecamatan",
            ),
            DemoAccount(
                f"{slug}.puskesmas",
                f"Petugas Gizi Puskesmas ({slug_name})",
                Role.OPERATOR,
                kec,
                "Puskesmas",
            ),
        ]
    return accounts


DEMO_ACCOUNTS = _accounts()


class DemoError(Exception):
    pass


def _units_for(district: Region, subdistricts: list[Region]) -> list[ReportingUnit]:
    units = [
        ReportingUnit(
            region=district, kind=UnitKind.AGENCY, sector=sector, name=name, short_name=short
        )
        for name, short, sector in DISTRICT_AGENCIES
    ]
    for kec in subdistricts:
        units += [
            ReportingUnit(
                region=kec,
                kind=UnitKind.SUBDISTRICT_OFFICE,
                sector=Sector.SUBDISTRICT,
                name=f"Kantor Kecamatan {kec.name}",
                short_name="Kecamatan",
            ),
            ReportingUnit(
                region=kec,
                kind=UnitKind.HEALTH_CENTER,
                sector=Sector.HEALTH,
                name=f"Puskesmas {kec.name}",
                short_name="Puskesmas",
            ),
            ReportingUnit(
                region=kec,
                kind=UnitKind.FAMILY_PLANNING_OFFICE,
                sector=Sector.FAMILY_PLANNING,
                name=f"Balai Penyuluhan KB {kec.name}",
                short_name="PLKB",
            ),
        ]
    return units


@transaction.atomic
def demo_seed() -> tuple[bool, list[DemoAccount]]:
    """Create the demo units and accounts; returns (created, accounts)."""
    if User.objects.filter(is_demo=True).exists():
        # Documents came after the first demos: an existing demo receives the missing ones.
        _seed_documents()
        _seed_assessment()
        return False, DEMO_ACCOUNTS
    codes = [DEMO_PROVINCE, *DEMO_DISTRICTS, *(c for _, s in DEMO_DISTRICTS.values() for c in s)]
    regions = Region.objects.in_bulk(codes)
    if len(regions) != len(codes):
        raise DemoError("The demo needs the region tree: run `aksi regions import` first.")
    province = regions[DEMO_PROVINCE]
    ReportingUnit.objects.get_or_create(
        region=province,
        name="Badan Perencanaan Pembangunan Daerah Provinsi NTB",
        defaults={"kind": UnitKind.AGENCY, "sector": Sector.PLANNING, "short_name": "Bappeda"},
    )
    for code, (_, subdistricts) in DEMO_DISTRICTS.items():
        district = regions[code]
        for unit in _units_for(district, [regions[c] for c in subdistricts]):
            saved, _created = ReportingUnit.objects.get_or_create(
                region=unit.region,
                name=unit.name,
                defaults={"kind": unit.kind, "sector": unit.sector, "short_name": unit.short_name},
            )
            if unit.kind == UnitKind.HEALTH_CENTER:
                saved.served_regions.set(Region.objects.filter(parent=unit.region))
    for account in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            email=f"{account.username}@demo.aksi.invalid",
            is_demo=True,
        )
        region = regions.get(account.region_code) if account.region_code else None
        unit = (
            ReportingUnit.objects.filter(region=region, short_name=account.unit_short_name).first()
            if region and account.unit_short_name
            else None
        )
        RoleAssignment.objects.create(user=user, role=account.role, region=region, unit=unit)
        audit_event_record(
            event_type=AuditEventType.USER_CREATED,
            actor_label="aksi demo seed",
            target=user,
            region_code=account.region_code or "",
            data={"role": account.role, "region": account.region_code, "demo": True},
        )
    _seed_values()
    _seed_reporting_setup()
    # The prevalence demo reads this module's regions: imported here, not at the top.
    from aksi.prevalence.demo import prevalence_demo_seed

    prevalence_demo_seed()
    _seed_documents()
    _seed_assessment()
    return True, DEMO_ACCOUNTS


def _seed_documents() -> None:
    """Regulations, an SK TPPS, a publication and a kecamatan's berita acara (one-page PDFs)."""
    from aksi.documents.demo import documents_demo_seed

    documents_demo_seed()


def _seed_assessment() -> None:
    """NTB's published penilaian kinerja of 2026 (on 2025): two panelists and the technical
    team scored its ten kab/kota; an existing demo receives it too."""
    from aksi.assessment.demo import assessment_demo_seed

    assessment_demo_seed()


def _seed_values() -> None:
    """Plausible 2025 coverage for the first demo kecamatan of each kab/kota, about 70% filled,
    entered through the same service as the form, by that kecamatan's operator."""
    import random

    from aksi.catalogue.models import Indicator
    from aksi.reporting.services import coverage_value_save

    rng = random.Random(2025)  # the same demo on every machine
    indicators = list(
        Indicator.objects.filter(catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE)
    )
    for slug_name, subdistricts in DEMO_DISTRICTS.values():
        slug = slug_name.lower().replace(" ", "")
        operator = User.objects.get(username=f"{slug}.kec.operator")
        for village in Region.objects.filter(parent_id=subdistricts[0], valid_to__isnull=True):
            for indicator in indicators:
                if rng.random() > 0.7:
                    continue
                if indicator.is_binary:
                    numerator, denominator = int(rng.random() < 0.6), None
                else:
                    denominator = rng.randint(8, 400)
                    numerator = round(denominator * min(1.0, rng.betavariate(6, 2)))
                coverage_value_save(
                    actor=operator,
                    indicator=indicator,
                    region=village,
                    period="2025",
                    numerator=numerator,
                    denominator=denominator,
                )


def _seed_reporting_setup() -> None:
    """Target-group counts from "Dukcapil", two validation rules, reporting duties, and a
    kecamatan pilot in Lombok Timur (Selong enters itself, Sakra through the kab/kota)."""
    from aksi.catalogue.models import IndicatorCatalogue
    from aksi.reporting import duties, entry_switch
    from aksi.reporting.count_imports import CountRow, target_group_counts_import
    from aksi.reporting.services import validation_rule_save

    admin = User.objects.get(username="pusat.admin")
    year = 2025
    rng = random.Random(2025)
    rows = []
    for code in ("52.71.01", "52.03.07"):
        for desa in Region.objects.filter(parent_id=code).order_by("code"):
            under_five = rng.randint(180, 420)
            under_two = rng.randint(int(under_five * 0.35), int(under_five * 0.45))
            infant = rng.randint(int(under_two * 0.45), int(under_two * 0.55))
            counts = {
                "child_under_five": under_five,
                "child_under_two": under_two,
                "infant": infant,
                "infant_under_six_months": infant // 2,
                "child_6_23_months": under_two - infant // 2,
                "adolescent_girl": rng.randint(120, 300),
                "household": rng.randint(600, 1500),
                "pregnant_woman": rng.randint(20, 60),
            }
            rows += [
                CountRow(desa.code, group, f"{year}S1", count) for group, count in counts.items()
            ]
    target_group_counts_import(actor=admin, rows=rows, source="dukcapil", dry_run=False)
    catalogue = IndicatorCatalogue.objects.get(year=year)
    validation_rule_save(
        actor=admin,
        catalogue=catalogue,
        code="gizi-buruk-dalam-gizi-kurang",
        left="BL-04.denominator",
        operator="<=",
        right="BL-03.denominator",
        # A warning in the demo: its invented numbers are not all consistent, and an error
        # rule would block every demo submission.
        severity="warning",
        message="Balita gizi buruk tidak boleh lebih banyak dari balita gizi kurang.",
    )
    validation_rule_save(
        actor=admin,
        catalogue=catalogue,
        code="pantau-tumbuh-dan-imunisasi",
        left="BL-02.numerator",
        operator="<=",
        right="BL-01.numerator + 50",
        severity="warning",
        message="Bayi diimunisasi jauh melebihi balita yang dipantau: periksa kembali.",
    )
    validation_rule_save(
        actor=admin,
        catalogue=catalogue,
        code="posyandu-aktif",
        left="supporting.DP-02",
        operator="<=",
        right="supporting.DP-01",
        severity="error",
        message="Posyandu aktif tidak boleh lebih banyak dari jumlah posyandu.",
    )
    _seed_supporting(rng)
    for code in DEMO_DISTRICTS:
        duties.reporting_duties_generate(
            actor=admin, district=Region.objects.get(code=code), year=year
        )
    entry_switch.subdistrict_entry_set(
        actor=admin,
        district=Region.objects.get(code="52.03"),
        mode="pilot",
        pilot_codes=["52.03.07"],
    )


def _seed_supporting(rng: random.Random) -> None:
    """Data pendukung of Ampenan (every item) and of Selong (posyandu only, the rest to fill),
    entered by each kecamatan's operator through the service of the form."""
    from aksi.reporting.supporting.grid import year_items
    from aksi.reporting.supporting.values import supporting_value_save

    items = {item.code: item for item in year_items(2025)}
    for code, wanted, username in (
        ("52.71.01", set(items), "mataram.kec.operator"),
        ("52.03.07", {"DP-01", "DP-02", "DP-03"}, "lomboktimur.kec.operator"),
    ):
        subdistrict = Region.objects.get(code=code)
        operator = User.objects.get(username=username)
        for desa in Region.objects.filter(parent=subdistrict).order_by("code"):
            posyandu = rng.randint(3, 9)
            numbers = {
                "DP-01": posyandu,
                "DP-02": posyandu - rng.randint(0, 2),
                "DP-03": posyandu * rng.randint(4, 6),
                "DP-04": rng.randint(0, posyandu),
                "DP-05": int(rng.random() < 0.8),
                "DP-06": rng.randint(0, 2),
                "DP-07": rng.randint(1, 4),
                "DP-08": rng.randint(3, 12),
                "DP-09": rng.randint(1, 5),
                "DP-10": int(rng.random() < 0.9),
                "DP-11": rng.randint(1, 4),
                "DP-12": rng.randint(0, 3),
                "DP-13": rng.randint(0, 2),
                "DP-14": int(rng.random() < 0.7),
                "DP-15": rng.randint(20, 150) * 1_000_000,
            }
            for item_code, number in numbers.items():
                if item_code in wanted and item_code in items:
                    supporting_value_save(
                        actor=operator,
                        item=items[item_code],
                        region=desa,
                        period="2025",
                        value=number,
                    )
        for item_code, number in (("DP-16", 3), ("DP-17", 1), ("DP-18", 4), ("DP-19", 2)):
            if item_code in wanted and item_code in items:
                supporting_value_save(
                    actor=operator,
                    item=items[item_code],
                    region=subdistrict,
                    period="2025",
                    value=number,
                )
