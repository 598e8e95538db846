from __future__ import annotations

from django.db import models

from aksi.lib.numbers import coverage_percent


class CoverageRollup(models.Model):
    """Sums of one indicator over a region (any level; "" is the nation) for one period.

    Kept current inside the transaction of every value write (incremental deltas up the
    ancestors) and rebuildable from the raw values (`aksi rollups rebuild`). Sums count only
    values with both numerator and denominator, as the coverage rule requires.
    """

    # No index of its own: the unique key (indicator, region, period) starts with it. No
    # constraint in the database either: the rows are derived from the values (whose own
    # foreign key guards the indicator), rebuilt and checked by `aksi rollups`, and a bulk
    # import would otherwise pay one check per new row at commit. Deleting an indicator still
    # deletes its rows (Django's cascade).
    indicator = models.ForeignKey(
        "catalogue.Indicator",
        on_delete=models.CASCADE,
        related_name="rollups",
        db_index=False,
        db_constraint=False,
    )
    region_code = models.CharField(max_length=13, blank=True)  # "" = Indonesia
    period = models.CharField(max_length=8)
    numerator_sum = models.BigIntegerField(default=0)
    denominator_sum = models.BigIntegerField(default=0)
    complete_count = models.IntegerField(default=0)  # values with numerator and denominator
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region_code", "period"], name="coverage_rollup_unique"
            )
        ]
        indexes = [
            models.Index(fields=["period", "region_code"], name="rollup_period_region"),
            # "The latest period of a region" (public pages, dashboards' defaults).
            models.Index(fields=["region_code", "period"], name="rollup_region_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region_code or 'ID'} {self.period}"

    @property
    def coverage(self) -> float | None:
        return coverage_percent(self.numerator_sum, self.denominator_sum)
