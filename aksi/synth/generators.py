"""The numbers of the synthetic dataset: values and target-group counts, region by region.

Pure functions of (seed, region code, period) once the catalogue is read: the same seed gives
the same numbers in any scope and with any other periods.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aksi.catalogue.models import Indicator, SupportingItem, TargetGroup
from aksi.reporting.models import CountSource

if TYPE_CHECKING:
    from aksi.synth.services import Scope

SEMESTERS = ("S1", "S2")
# Which periods a year gets: (suffix of the period code, which half's coverage it shows). The
# benchmarks and the default use both semesters; the yearly period (what the yearly report and
# the dashboards' default view read) draws like semester 2.
PERIOD_PARTS: dict[str, tuple[tuple[str, int], ...]] = {
    "semesters": (("S1", 0), ("S2", 1)),
    "year": (("", 1),),
    "all": (("", 1), ("S1", 0), ("S2", 1)),
}
# Denominators that are projections: numerators above them happen (see reporting.services).
ESTIMATED = frozenset(
    {Indicator.DenominatorSource.PROGRAM_ESTIMATE, Indicator.DenominatorSource.DUKCAPIL}
)
# Share of a desa's population the denominator counts, by where it comes from.
DENOMINATOR_SHARE = {
    Indicator.DenominatorSource.DUKCAPIL: (0.015, 0.10),
    Indicator.DenominatorSource.PROGRAM_ESTIMATE: (0.015, 0.08),
    Indicator.DenominatorSource.TARGET_GROUP_DATA: (0.01, 0.09),
    Indicator.DenominatorSource.EPPGBM: (0.002, 0.012),
    Indicator.DenominatorSource.BKKBN_FAMILY_DATA: (0.06, 0.28),
    Indicator.DenominatorSource.DTSEN: (0.03, 0.15),
    Indicator.DenominatorSource.SURVEY: (0.002, 0.004),
}
# Denominators that are the target-group count of the desa.
COUNTED = frozenset(
    {Indicator.DenominatorSource.TARGET_GROUP_DATA, Indicator.DenominatorSource.DUKCAPIL}
)
# Target groups as a share of a desa's population (roots) or of their parent group.
GROUP_SHARE = {
    "mother": 0.04,
    "pregnant_woman": 0.45,
    "chronic_energy_deficiency": 0.12,
    "postpartum_mother": 0.4,
    "breastfeeding_mother": 0.5,
    "child_under_two": 0.035,
    "newborn": 0.45,
    "infant_under_six_months": 0.25,
    "infant": 0.5,
    "child_6_23_months": 0.75,
    "child_under_five": 0.085,
    "child_24_59_months": 0.6,
    "wasted_child": 0.07,
    "severely_wasted_child": 0.02,
    "family_with_under_five": 0.85,
    "adolescent_girl": 0.08,
    "engaged_couple": 0.006,
    "bride_to_be": 0.5,
    "household_and_community": 0.3,
    "household": 0.95,
    "eligible_couple": 0.55,
    "at_risk_family": 0.2,
    "poor_population": 0.35,
    "poor_family": 0.12,
    "aid_family": 0.7,
}


def _rng(seed: int, *parts: object) -> random.Random:
    # A string seed is hashed with SHA-512: stable across runs and machines (unlike hash()).
    return random.Random("|".join([str(seed), *map(str, parts)]))


@dataclass(frozen=True)
class _Profile:
    """What an indicator looks like nationally: mean coverage and denominator size."""

    indicator_id: int
    code: str
    entry_level: str
    is_binary: bool
    source: str
    mean: float
    share: float
    target_group_id: int
    # The denominator is the desa's target-group count (data sasaran) of the period.
    takes_count: bool


def _profiles(seed: int, indicators: Iterable[Indicator]) -> list[_Profile]:
    profiles = []
    for indicator in indicators:
        rng = _rng(seed, "indicator", indicator.code)
        low, high = DENOMINATOR_SHARE.get(indicator.denominator_source, (0.02, 0.1))
        profiles.append(
            _Profile(
                indicator_id=indicator.pk,
                code=indicator.code,
                entry_level=indicator.entry_level,
                is_binary=indicator.is_binary,
                source=indicator.denominator_source,
                mean=rng.uniform(0.5, 0.9),
                share=rng.uniform(low, high),
                target_group_id=indicator.target_group_id,
                takes_count=(
                    indicator.entry_level == Indicator.EntryLevel.VILLAGE
                    and not indicator.is_binary
                    and indicator.denominator_source in COUNTED
                ),
            )
        )
    return profiles


class _Effects:
    """Province and kabupaten effects per indicator, and kabupaten completeness (cached)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._shift: dict[tuple[str, str], float] = {}
        self._complete: dict[str, float] = {}

    def shift(self, code: str, indicator: str) -> float:
        key = (code, indicator)
        if key not in self._shift:
            spread = 0.06 if len(code) == 2 else 0.09
            self._shift[key] = _rng(self.seed, "effect", code, indicator).gauss(0, spread)
        return self._shift[key]

    def completeness(self, district: str) -> float:
        if district not in self._complete:
            self._complete[district] = _rng(self.seed, "complete", district).uniform(0.85, 1.0)
        return self._complete[district]


def _pair(
    rng: random.Random,
    profile: _Profile,
    mean: float,
    population: float,
    semester: int,
    count: int | None,
) -> tuple[int, int]:
    if profile.is_binary:
        return int(rng.random() < mean), 1
    denominator = (
        count
        if count is not None
        else round(population * profile.share * rng.lognormvariate(0, 0.15))
    )
    if denominator == 0:
        return 0, 0
    # The first semester is half-way to the year's coverage, give or take.
    target = min(0.98, max(0.02, mean - (0.06 if semester == 0 else 0)))
    coverage = rng.betavariate(target * 18, (1 - target) * 18)
    if profile.source in ESTIMATED and rng.random() < 0.02:
        coverage = rng.uniform(1.0, 1.2)  # projections undercount: above 100 % is plausible
    numerator = round(denominator * coverage)
    if profile.source not in ESTIMATED:
        numerator = min(numerator, denominator)
    return numerator, denominator


@dataclass(frozen=True)
class _Groups:
    """The target groups counted per desa: those of the year's counted denominators."""

    ids: list[int]  # in tree order: a parent before its children
    parent: dict[int, int | None]
    share: dict[int, float]
    source: dict[int, str]  # CountSource of the group's counts

    @classmethod
    def of(cls, indicators: Sequence[Indicator]) -> _Groups:
        wanted: dict[int, str] = {}
        for indicator in indicators:
            if (
                indicator.entry_level == Indicator.EntryLevel.VILLAGE
                and not indicator.is_binary
                and indicator.denominator_source in COUNTED
            ):
                dukcapil = indicator.denominator_source == Indicator.DenominatorSource.DUKCAPIL
                if dukcapil or indicator.target_group_id not in wanted:
                    wanted[indicator.target_group_id] = (
                        CountSource.DUKCAPIL if dukcapil else CountSource.ENTERED
                    )
        tree = {g.pk: g for g in TargetGroup.objects.all()}
        ids: list[int] = []

        def add(pk: int) -> None:
            parent = tree[pk].parent_id
            if parent is not None and parent not in ids:
                add(parent)
            if pk not in ids:
                ids.append(pk)

        for pk in sorted(wanted):
            add(pk)
        return cls(
            ids=ids,
            parent={pk: tree[pk].parent_id for pk in ids},
            share={
                pk: GROUP_SHARE.get(tree[pk].code, 0.05 if tree[pk].parent_id is None else 0.5)
                for pk in ids
            },  # fmt: skip
            source=wanted,
        )

    def counts(self, seed: int, code: str, year: int, population: float) -> dict[int, list[int]]:
        """Count per group id for each semester: children never above their parent."""
        rng = _rng(seed, "count", code, year)
        exact: dict[int, float] = {}
        counts: dict[int, list[int]] = {}
        for pk in self.ids:
            parent = self.parent[pk]
            base = population if parent is None else exact[parent]
            exact[pk] = base * min(1.0, self.share[pk] * rng.lognormvariate(0, 0.12))
            first = round(exact[pk])
            second = round(exact[pk] * (1 + rng.gauss(0.01, 0.02)))
            if parent is not None:
                first = min(first, counts[parent][0])
                second = min(second, counts[parent][1])
            counts[pk] = [max(first, 0), max(second, 0)]
        return counts


def _population(seed: int, code: str, year: int) -> float:
    # The people a region serves: the same every year, give or take a little growth.
    return _rng(seed, "population", code).lognormvariate(math.log(2500), 0.7) * 1.012 ** (
        year - 2025
    )


def count_rows(
    *,
    scope: Scope,
    year: int,
    seed: int,
    indicators: Sequence[Indicator],
    parts: Sequence[tuple[str, int]] = PERIOD_PARTS["semesters"],
) -> Iterator[tuple[int, str, str, int, str]]:
    """(target group id, desa code, period, count, source) of every desa and semester.

    Reads the database now, not while the rows stream (a COPY holds the connection)."""
    groups = _Groups.of(indicators)
    return _count_rows(scope=scope, year=year, seed=seed, groups=groups, parts=parts)


def _count_rows(
    *, scope: Scope, year: int, seed: int, groups: _Groups, parts: Sequence[tuple[str, int]]
) -> Iterator[tuple[int, str, str, int, str]]:
    periods = [(f"{year}{suffix}", half) for suffix, half in parts]
    wanted = [pk for pk in groups.ids if pk in groups.source]
    for code in scope.villages:
        counts = groups.counts(seed, code, year, _population(seed, code, year))
        for pk in wanted:
            for period, half in periods:
                yield pk, code, period, counts[pk][half], groups.source[pk]


def value_rows(
    *,
    scope: Scope,
    year: int,
    seed: int,
    indicators: Sequence[Indicator],
    parts: Sequence[tuple[str, int]] = PERIOD_PARTS["semesters"],
) -> Iterator[tuple[int, str, str, int, int, str]]:
    """(indicator id, region code, period, numerator, denominator, denominator source) of every
    generated value of `year`, region by region in code order, both semesters together.

    Reads the database now, not while the rows stream (a COPY holds the connection)."""
    profiles = _profiles(seed, indicators)
    groups = _Groups.of(indicators)
    return _value_rows(
        scope=scope, year=year, seed=seed, profiles=profiles, groups=groups, parts=parts
    )


def _value_rows(
    *,
    scope: Scope,
    year: int,
    seed: int,
    profiles: list[_Profile],
    groups: _Groups,
    parts: Sequence[tuple[str, int]],
) -> Iterator[tuple[int, str, str, int, int, str]]:
    effects = _Effects(seed)
    periods = [(f"{year}{suffix}", half) for suffix, half in parts]
    year_gain = 0.025 * (year - 2025)
    by_level = {
        Indicator.EntryLevel.VILLAGE: scope.villages,
        Indicator.EntryLevel.SUBDISTRICT: scope.subdistricts,
        Indicator.EntryLevel.DISTRICT: scope.districts,
    }
    for level, codes in by_level.items():
        level_profiles = [p for p in profiles if p.entry_level == level]
        if not level_profiles:
            continue
        for code in codes:
            # One generator per period: a period's numbers do not depend on which others are made.
            draws = [(_rng(seed, code, period), period, half) for period, half in periods]
            population = _population(seed, code, year)
            counts: dict[int, list[int]] = {}
            if level == Indicator.EntryLevel.VILLAGE:
                counts = groups.counts(seed, code, year, population)
            elif level == Indicator.EntryLevel.DISTRICT:
                population *= 150
            elif level == Indicator.EntryLevel.SUBDISTRICT:
                population *= 12
            province, district = code[:2], code[:5]
            completeness = effects.completeness(district)
            for profile in level_profiles:
                mean = (
                    profile.mean
                    + year_gain
                    + effects.shift(province, profile.code)
                    + effects.shift(district, profile.code)
                )
                for rng, period, half in draws:
                    if rng.random() > completeness:
                        continue  # not reported (yet)
                    count = None
                    if profile.takes_count:
                        count = counts[profile.target_group_id][half]
                    numerator, denominator = _pair(rng, profile, mean, population, half, count)
                    source = profile.source
                    if count is not None:
                        # As the single save records a denominator that is the count.
                        dukcapil = groups.source[profile.target_group_id] == CountSource.DUKCAPIL
                        source = (
                            Indicator.DenominatorSource.DUKCAPIL
                            if dukcapil
                            else Indicator.DenominatorSource.TARGET_GROUP_DATA
                        )
                    yield (profile.indicator_id, code, period, numerator, denominator, source)


# Data pendukung per 1,000 people of a desa (counts), or the chance of "yes" (yes/no items);
# rupiah items draw a village budget share. Keyed by catalogue code; unknown codes draw 0–5.
SUPPORTING_RATES: dict[str, tuple[float, float]] = {
    "DP-01": (1.0, 2.5),  # posyandu
    "DP-03": (5.0, 12.0),  # cadres
    "DP-06": (0.1, 0.6),  # health facilities
    "DP-07": (0.4, 1.2),  # PAUD units
    "DP-08": (1.5, 5.0),  # PAUD teachers
    "DP-09": (0.3, 1.2),  # BKB groups
    "DP-11": (0.4, 1.4),  # TPK teams
    "DP-12": (0.1, 0.8),  # water facilities
    "DP-13": (0.1, 0.6),  # sanitation facilities
}
# Shares of another item (active posyandu ≤ posyandu; with an anthropometry kit ≤ posyandu).
SUPPORTING_PARTS = {"DP-02": ("DP-01", 0.6, 1.0), "DP-04": ("DP-01", 0.3, 1.0)}


def supporting_rows(
    *,
    scope: Scope,
    year: int,
    seed: int,
    items: Sequence[SupportingItem],
    parts: Sequence[tuple[str, int]] = PERIOD_PARTS["semesters"],
) -> Iterator[tuple[int, str, str, int]]:
    """(item id, region code, period, value) of every desa (village items) and kecamatan
    (subdistrict items) of the scope; the same value in every period of the year."""
    periods = [f"{year}{suffix}" for suffix, _half in parts]
    village = [i for i in items if i.entry_level == SupportingItem.EntryLevel.VILLAGE]
    own = [i for i in items if i.entry_level == SupportingItem.EntryLevel.SUBDISTRICT]
    for codes, wanted in ((scope.villages, village), (scope.subdistricts, own)):
        if not wanted:
            continue
        for code in codes:
            rng = _rng(seed, "supporting", code, year)
            people = _population(seed, code, year) * (12 if code.count(".") == 2 else 1)
            drawn: dict[str, int] = {}
            for item in wanted:
                if item.unit == SupportingItem.Unit.YES_NO:
                    value = int(rng.random() < 0.8)
                elif item.unit == SupportingItem.Unit.RUPIAH:
                    value = round(rng.uniform(20, 150)) * 1_000_000
                elif item.code in SUPPORTING_PARTS:
                    base, low, high = SUPPORTING_PARTS[item.code]
                    value = math.floor(drawn.get(base, 0) * rng.uniform(low, high))
                else:
                    low, high = SUPPORTING_RATES.get(item.code, (0.0, 2.0))
                    value = max(0, round(people / 1000 * rng.uniform(low, high)))
                drawn[item.code] = value
                for period in periods:
                    yield item.pk, code, period, value
