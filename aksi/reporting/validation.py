"""Configurable validation rules: `left ⟨operator⟩ right` over the items of one desa.

The expression language is deliberately small and safe (no eval): a sum or difference of
terms, each an integer constant or an item reference —

    BL-01.numerator      the numerator of an indicator of the rule's catalogue
    BL-01.denominator    its denominator
    target_group.infant  the target-group count (data sasaran) of the desa
    supporting.DP-02     a supporting item (data pendukung) of the desa

e.g. `BL-03.numerator <= target_group.wasted_child`, or (left side, operator, right side)
`target_group.child_6_23_months + target_group.infant_under_six_months`
`<=` `target_group.child_under_two`.

A rule whose items are not all filled (empty, "no data", "not applicable") is not evaluated:
missing data are completeness's business, not a rule's. Errors block the submission of the
kecamatan; warnings need a comment (DOMAIN §7). At entry both are shown after each save.
"""

from __future__ import annotations

import operator as op
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from aksi.catalogue.models import Indicator, IndicatorCatalogue, SupportingItem, TargetGroup
from aksi.regions.models import Level, Region
from aksi.reporting import denominators
from aksi.reporting.models import (
    CoverageValue,
    SupportingValue,
    TargetGroupCount,
    ValidationRule,
    ValueStatus,
)

TARGET_GROUP = "target_group"
SUPPORTING = "supporting"
FIELDS = ("numerator", "denominator")
MAX_TERMS = 30

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+)|(?P<supporting>supporting\.[A-Za-z0-9]+-[0-9]+)"
    r"|(?P<ref>[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z0-9_]+)|(?P<sign>[+-]))"
)

OPERATORS: dict[str, Callable[[int, int], bool]] = {
    ValidationRule.Operator.LE: op.le,
    ValidationRule.Operator.LT: op.lt,
    ValidationRule.Operator.EQ: op.eq,
    ValidationRule.Operator.GE: op.ge,
    ValidationRule.Operator.GT: op.gt,
}


@dataclass(frozen=True)
class Ref:
    kind: str  # "indicator" | "target_group" | "supporting"
    code: str
    field: str = ""  # numerator | denominator (indicators)


@dataclass(frozen=True)
class Term:
    sign: int
    constant: int = 0
    ref: Ref | None = None


class ExpressionError(ValueError):
    pass


def parse_expression(text: str) -> list[Term]:
    """Terms of `text`; raises ExpressionError naming what is wrong."""
    terms: list[Term] = []
    position, sign, expecting_term = 0, 1, True
    text = text.strip()
    if not text:
        raise ExpressionError(_("The expression is empty."))
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(
                _("Cannot read “%(rest)s”.") % {"rest": text[position:].strip()[:40]}
            )
        position = match.end()
        if match["sign"]:
            if not expecting_term:
                sign, expecting_term = (1 if match["sign"] == "+" else -1), True
                continue
            if match["sign"] == "-" and sign == 1 and not terms:
                sign = -1  # a leading minus
                continue
            raise ExpressionError(_("Two signs in a row."))
        if not expecting_term:
            raise ExpressionError(_("Two terms need a + or - between them."))
        if match["number"]:
            terms.append(Term(sign, constant=int(match["number"])))
        elif match["supporting"]:
            code = match["supporting"].partition(".")[2].upper()
            terms.append(Term(sign, ref=Ref(SUPPORTING, code)))
        else:
            name, _dot, attribute = match["ref"].rpartition(".")
            if name == TARGET_GROUP:
                terms.append(Term(sign, ref=Ref(TARGET_GROUP, attribute)))
            elif attribute in FIELDS:
                terms.append(Term(sign, ref=Ref("indicator", name.upper(), attribute)))
            else:
                raise ExpressionError(
                    _(
                        "“%(ref)s”: write CODE.numerator, CODE.denominator, target_group.CODE "
                        "or supporting.CODE."
                    )
                    % {"ref": match["ref"]}
                )
        sign, expecting_term = 1, False
        if len(terms) > MAX_TERMS:
            raise ExpressionError(_("Too many terms."))
    if expecting_term:
        raise ExpressionError(_("The expression ends with a sign."))
    return terms


def rule_references(rule: ValidationRule) -> list[Ref]:
    return [
        t.ref
        for side in (rule.left, rule.right)
        for t in parse_expression(side)
        if t.ref is not None
    ]


def rule_clean(*, catalogue: IndicatorCatalogue, left: str, right: str, operator: str) -> None:
    """Raise ValidationError (by field) unless both sides parse and name known items."""
    errors: dict[str, list[str]] = {}
    if operator not in OPERATORS:
        errors["operator"] = [_("Unknown operator.")]
    known = {
        "indicator": set(catalogue.indicators.values_list("code", flat=True)),
        TARGET_GROUP: set(TargetGroup.objects.values_list("code", flat=True)),
        SUPPORTING: set(
            SupportingItem.objects.filter(catalogue=catalogue).values_list("code", flat=True)
        ),
    }
    for name, text in (("left", left), ("right", right)):
        try:
            terms = parse_expression(text)
        except ExpressionError as error:
            errors[name] = [str(error)]
            continue
        unknown = [
            t.ref.code for t in terms if t.ref is not None and t.ref.code not in known[t.ref.kind]
        ]
        if unknown:
            errors[name] = [
                _("Not in catalogue %(year)s: %(codes)s.")
                % {"year": catalogue.year, "codes": ", ".join(unknown)}
            ]
    if errors:
        raise ValidationError(errors)


# The items of one desa: indicator code → (numerator, denominator), target group → count,
# supporting item → value.
@dataclass
class Items:
    values: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    supporting: dict[str, int] = field(default_factory=dict)

    def get(self, ref: Ref) -> int | None:
        if ref.kind == TARGET_GROUP:
            return self.counts.get(ref.code)
        if ref.kind == SUPPORTING:
            return self.supporting.get(ref.code)
        pair = self.values.get(ref.code)
        if pair is None:
            return None
        return pair[0] if ref.field == "numerator" else pair[1]


def _total(terms: list[Term], items: Items) -> int | None:
    total = 0
    for term in terms:
        if term.ref is None:
            total += term.sign * term.constant
            continue
        number = items.get(term.ref)
        if number is None:
            return None
        total += term.sign * number
    return total


@dataclass(frozen=True)
class Outcome:
    rule: ValidationRule
    left: int
    right: int

    @property
    def is_error(self) -> bool:
        return self.rule.severity == ValidationRule.Severity.ERROR

    @property
    def text(self) -> str:
        label = _("Error") if self.is_error else _("Warning")
        return _("%(label)s %(code)s: %(message)s (%(left)s %(op)s %(right)s)") % {
            "label": label,
            "code": self.rule.code,
            "message": self.rule.message,
            "left": self.left,
            "op": self.rule.get_operator_display(),
            "right": self.right,
        }


def rule_check(rule: ValidationRule, items: Items) -> Outcome | None:
    """The broken rule with both sides' totals, or None when it holds or cannot be evaluated."""
    left = _total(parse_expression(rule.left), items)
    right = _total(parse_expression(rule.right), items)
    if left is None or right is None:
        return None
    if OPERATORS[rule.operator](left, right):
        return None
    return Outcome(rule, left, right)


def active_rules(*, year: int) -> list[ValidationRule]:
    return list(
        ValidationRule.objects.filter(catalogue__years__year=year, is_active=True).order_by("code")
    )


def _items_by_region(*, region_codes: list[str], period: str) -> dict[str, Items]:
    """Every desa's filled values, counts and supporting values, in three queries."""
    items: dict[str, Items] = defaultdict(Items)
    values = CoverageValue.objects.filter(
        region_id__in=region_codes, period=period, status=ValueStatus.VALUE
    ).values_list("region_id", "indicator__code", "numerator", "denominator")
    for region_id, code, numerator, denominator in values:
        items[region_id].values[code] = (numerator, denominator)
    counts = TargetGroupCount.objects.filter(
        region_id__in=region_codes,
        period__in=denominators.count_periods(period),
        count__isnull=False,
    ).values_list("region_id", "target_group__code", "period", "count")
    rank = {code: i for i, code in enumerate(denominators.count_periods(period))}
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for region_id, code, count_period, count in counts:
        key = (region_id, code)
        if key not in best or rank[count_period] < best[key][0]:
            best[key] = (rank[count_period], count)
    for (region_id, code), (_rank, count) in best.items():
        items[region_id].counts[code] = count
    for region_id, code, number in SupportingValue.objects.filter(
        region_id__in=region_codes, period=period, value__isnull=False
    ).values_list("region_id", "item__code", "value"):
        items[region_id].supporting[code] = number
    return items


def village_outcomes(*, village: Region, period: str) -> list[Outcome]:
    """The rules a desa breaks now (shown after each save in the grid)."""
    rules = active_rules(year=int(period[:4]))
    if not rules:
        return []
    items = _items_by_region(region_codes=[village.code], period=period).get(village.code)
    if items is None:
        return []
    return [o for rule in rules if (o := rule_check(rule, items)) is not None]


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _names(regions: Iterable[Region], limit: int = 5) -> str:
    names = [r.name for r in regions]
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += _(" and %(n)s more") % {"n": len(names) - limit}
    return shown


def submission_findings(*, region: Region, period: str) -> Findings:
    """What a submission of the region's data must answer: broken rules (errors block, warnings
    need a comment) and denominators overriding target-group data without a comment."""
    findings = Findings()
    if region.level == Level.SUBDISTRICT:
        rows = list(Region.objects.filter(parent=region, valid_to__isnull=True).order_by("code"))
    else:
        rows = [region]
    codes = [r.code for r in rows]
    rules = active_rules(year=int(period[:4]))
    if rules:
        items = _items_by_region(region_codes=codes, period=period)
        for rule in rules:
            broken = [r for r in rows if r.code in items and rule_check(rule, items[r.code])]
            if not broken:
                continue
            text = _("%(code)s: %(message)s — %(villages)s") % {
                "code": rule.code,
                "message": rule.message,
                "villages": _names(broken),
            }
            if rule.severity == ValidationRule.Severity.ERROR:
                findings.errors.append(text)
            else:
                findings.warnings.append(text)
    unexplained = _unexplained_denominators(region_codes=codes, period=period)
    if unexplained:
        findings.warnings.append(
            _(
                "%(n)s denominators differ from the target-group data by more than "
                "%(tolerance)s%% without a comment."
            )
            % {"n": unexplained, "tolerance": f"{denominators.tolerance_percent():g}"}
        )
    return findings


def _unexplained_denominators(*, region_codes: list[str], period: str) -> int:
    values = list(
        CoverageValue.objects.filter(
            region_id__in=region_codes,
            period=period,
            status=ValueStatus.VALUE,
            denominator__isnull=False,
            note="",
            indicator__is_binary=False,
        ).values_list("region_id", "indicator__target_group_id", "denominator")
    )
    if not values:
        return 0
    counts = denominators.counts_for(
        region_codes={v[0] for v in values},
        target_group_ids={v[1] for v in values},
        period=period,
    )
    return sum(
        1
        for region_id, group_id, denominator in values
        if (count := counts.get((region_id, group_id))) is not None
        and count.count is not None
        and denominators.differs(denominator, count.count)
    )


def indicator_codes(year: int) -> list[str]:
    return list(
        Indicator.objects.filter(catalogue__years__year=year)
        .order_by("order")
        .values_list("code", flat=True)
    )
