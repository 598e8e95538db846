"""The outcome beside the score (DOMAIN §8.4): each assessed kab/kota's stunting prevalence in the
year assessed and the year before, from each kind of source kept apart, and an "outcome
mismatch" flag when a high total score came with prevalence that did not fall.

Prevalence is shown next to the score and never enters it. The figures come from the prevalence
app's own selectors: they are public (the prevalence pages show them without login), so the
only scope is that of the results, which the caller got from results_get or results_for_api.
Survey figures (SSGI/SKI) and e-PPGBM counts are never compared with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from aksi.assessment.models import AssessmentResult, AssessmentRound
from aksi.lib.periods import parse_period
from aksi.prevalence import selectors as prevalence_selectors
from aksi.prevalence.models import SurveyPrevalence, SurveySource
from aksi.prevalence.selectors import AdministrativeFigure
from aksi.regions.models import Region

SURVEY, EPPGBM = "survey", "eppgbm"


def outcome_mismatch_score() -> Decimal:
    """From this total score up, prevalence that did not fall is flagged (DOMAIN §8.4:
    assumption, configurable)."""
    return Decimal(str(getattr(settings, "AKSI_OUTCOME_MISMATCH_SCORE", 90)))


@dataclass(frozen=True)
class PrevalenceFigure:
    """A kab/kota's stunting prevalence in one year from one kind of source, or why none."""

    year: int
    source: str  # SURVEY or EPPGBM
    value: Decimal | None = None  # %, one decimal, as the prevalence pages show it
    survey: str = ""  # ssgi, ski … (survey figures)
    period: str = ""  # e-PPGBM period code, e.g. 202508
    measured: int | None = None  # N: children measured (e-PPGBM)
    sample_size: int | None = None  # survey sample, when published
    low_n: bool = False
    missing: str = ""  # why there is no figure

    @property
    def missing_short(self) -> str:
        """The reason in two words, for a table cell (the full one goes beside it)."""
        if self.value is not None:
            return ""
        return _("no counts") if self.source == EPPGBM else _("no figure")

    @property
    def source_label(self) -> str:
        if self.survey:
            return f"{SurveySource(self.survey).label} {self.year}"
        return prevalence_selectors.period_label(self.period) if self.period else ""


@dataclass(frozen=True)
class PrevalenceChange:
    """The same source in the year before and the year assessed."""

    source: str  # SURVEY or EPPGBM
    previous: PrevalenceFigure
    current: PrevalenceFigure

    @property
    def figures(self) -> tuple[PrevalenceFigure, PrevalenceFigure]:
        return (self.previous, self.current)

    @property
    def change(self) -> Decimal | None:
        """Percentage points, current − previous, from the one-decimal figures people read."""
        if self.previous.value is None or self.current.value is None:
            return None
        return self.current.value - self.previous.value

    @property
    def fell(self) -> bool | None:
        """None when not judged: a figure is missing, or one rests on too few children."""
        change = self.change
        if change is None or self.previous.low_n or self.current.low_n:
            return None
        return change < 0

    @property
    def source_label(self) -> str:
        return _("survey (SSGI/SKI)") if self.source == SURVEY else "e-PPGBM"


@dataclass(frozen=True)
class Outcome:
    total: Decimal
    threshold: Decimal
    survey: PrevalenceChange
    eppgbm: PrevalenceChange

    @property
    def changes(self) -> tuple[PrevalenceChange, PrevalenceChange]:
        return (self.survey, self.eppgbm)

    @property
    def high_score(self) -> bool:
        return self.total >= self.threshold

    @property
    def mismatch_sources(self) -> list[str]:
        """The sources in which prevalence did not fall although the score is high."""
        if not self.high_score:
            return []
        return [c.source for c in self.changes if c.fell is False]

    @property
    def mismatch(self) -> bool:
        return bool(self.mismatch_sources)

    @property
    def mismatch_labels(self) -> list[str]:
        return [c.source_label for c in self.changes if c.source in self.mismatch_sources]

    @property
    def not_judged(self) -> bool:
        """A high score with no source able to say whether prevalence fell."""
        return self.high_score and all(c.fell is None for c in self.changes)


@dataclass(frozen=True)
class RoundOutcomes:
    """The outcome of every result of one round, and what the columns hold."""

    year: int
    threshold: Decimal
    periods: tuple[str, str]  # e-PPGBM periods compared (previous, current); "" when none
    by_result: dict[int, Outcome]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    def _none_in(self, source: str) -> bool:
        changes = [o.survey if source == SURVEY else o.eppgbm for o in self.by_result.values()]
        return bool(changes) and all(f.value is None for change in changes for f in change.figures)

    @property
    def no_survey_figure(self) -> bool:
        """No participant has a survey figure for either year: said once, above the table."""
        return self._none_in(SURVEY)

    @property
    def no_eppgbm_count(self) -> bool:
        return self._none_in(EPPGBM)

    @property
    def low_n_threshold(self) -> int:
        return prevalence_selectors.low_n_threshold()

    @property
    def period_labels(self) -> tuple[str, str]:
        return (
            prevalence_selectors.period_label(self.periods[0]) if self.periods[0] else "",
            prevalence_selectors.period_label(self.periods[1]) if self.periods[1] else "",
        )


def _compared_periods(periods: list[str], year: int) -> tuple[str, str]:
    """The e-PPGBM periods compared for `year`: its latest period with counts, and the same
    period a year earlier (August with August) or, without counts then, that year's latest."""

    def of_year(y: int) -> list[str]:
        return [p for p in periods if parse_period(p).year == y]  # latest first

    current = next(iter(of_year(year)), "")
    earlier = of_year(year - 1)
    previous = next(iter(earlier), "")
    if current:
        same = replace(parse_period(current), year=year - 1).code
        previous = same if same in earlier else previous
    return previous, current


class _OutcomeReader:
    """Prevalence of the kab/kota of the provinces asked about; each province and period read
    once, through the prevalence selectors (survey: two queries per province; e-PPGBM: one for
    the periods, two per period compared)."""

    def __init__(self) -> None:
        self.threshold = outcome_mismatch_score()
        self._survey: dict[str, dict[str, dict[int, SurveyPrevalence]]] = {}
        self._periods: dict[str, list[str]] = {}
        self._counts: dict[tuple[str, str], dict[str, AdministrativeFigure]] = {}

    def survey(self, province: Region, code: str, year: int) -> PrevalenceFigure:
        if province.code not in self._survey:
            children = prevalence_selectors.survey_children(region=province)
            by_region: dict[str, dict[int, SurveyPrevalence]] = {}
            for region, cells in children.rows:
                # Columns run by year, then survey: two surveys of one year → the later one
                # wins, as the prevalence page's "latest" figure does.
                by_region[region.code] = {f.year: f for f in cells if f is not None}
            self._survey[province.code] = by_region
        figure = self._survey[province.code].get(code, {}).get(year)
        if figure is None:
            return PrevalenceFigure(
                year=year,
                source=SURVEY,
                missing=_("no survey figure for %(year)s") % {"year": year},
            )
        return PrevalenceFigure(
            year=year,
            source=SURVEY,
            value=figure.prevalence,
            survey=figure.source,
            sample_size=figure.sample_size,
        )

    def periods(self, province: Region, year: int) -> tuple[str, str]:
        if province.code not in self._periods:
            self._periods[province.code] = prevalence_selectors.administrative_periods(
                region=province
            )
        return _compared_periods(self._periods[province.code], year)

    def eppgbm(self, province: Region, code: str, year: int, period: str) -> PrevalenceFigure:
        if not period:
            return PrevalenceFigure(
                year=year,
                source=EPPGBM,
                missing=_("no e-PPGBM counts in %(province)s for %(year)s")
                % {"province": province.name, "year": year},
            )
        if (province.code, period) not in self._counts:
            breakdown = prevalence_selectors.administrative_breakdown(
                region=province, period=period
            )
            self._counts[(province.code, period)] = {
                c.region.code: c for c in breakdown.children if c.region is not None
            }
        counts = self._counts[(province.code, period)].get(code)
        if counts is None or counts.prevalence is None:
            return PrevalenceFigure(
                year=year,
                source=EPPGBM,
                period=period,
                missing=_("no counts from this regency/city for %(period)s")
                % {"period": prevalence_selectors.period_label(period)},
            )
        return PrevalenceFigure(
            year=year,
            source=EPPGBM,
            value=Decimal(str(counts.prevalence)),
            period=period,
            measured=counts.measured,
            low_n=counts.low_n,
        )

    def outcome(self, result: AssessmentResult) -> Outcome:
        province, code = result.round.province, result.region_id
        year = result.round.assessed_year
        previous_period, current_period = self.periods(province, year)
        return Outcome(
            total=result.total,
            threshold=self.threshold,
            survey=PrevalenceChange(
                SURVEY,
                self.survey(province, code, year - 1),
                self.survey(province, code, year),
            ),
            eppgbm=PrevalenceChange(
                EPPGBM,
                self.eppgbm(province, code, year - 1, previous_period),
                self.eppgbm(province, code, year, current_period),
            ),
        )


def result_outcomes(*, results: list[AssessmentResult]) -> dict[int, Outcome]:
    """The outcome beside each result (keyed by the result's id), for results the caller was
    already allowed to read (results_get, results_for_api). Queries per province and period
    compared, not per result."""
    reader = _OutcomeReader()
    return {result.pk: reader.outcome(result) for result in results}


def round_outcomes(*, round: AssessmentRound, results: list[AssessmentResult]) -> RoundOutcomes:
    """The outcome columns of a round's results page and export."""
    reader = _OutcomeReader()
    return RoundOutcomes(
        year=round.assessed_year,
        threshold=reader.threshold,
        # No results, no columns: nothing to read.
        periods=reader.periods(round.province, round.assessed_year) if results else ("", ""),
        by_result={result.pk: reader.outcome(result) for result in results},
    )
