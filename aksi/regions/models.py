from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("Regency/City")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    VILLAGE = "village", _("Village")


LEVEL_DEPTH = {Level.PROVINCE: 1, Level.DISTRICT: 2, Level.SUBDISTRICT: 3, Level.VILLAGE: 4}
DEPTH_LEVEL = {depth: level for level, depth in LEVEL_DEPTH.items()}


class Kind(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency")
    CITY = "city", _("City")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    # Papua's provinces (91–96) call their subdistricts "distrik".
    PAPUAN_SUBDISTRICT = "papuan_subdistrict", _("District (Papua)")
    VILLAGE = "village", _("Village")
    URBAN_VILLAGE = "urban_village", _("Urban village")
    CUSTOMARY_VILLAGE = "customary_village", _("Customary village")


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WIB_PONTIANAK = "Asia/Pontianak", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


def ancestor_codes(code: str) -> list[str]:
    """The codes of the regions above a code, province first: 52.03.07 → [52, 52.03]."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


class Region(models.Model):
    """One administrative region, keyed by its dotted Kemendagri code.

    The code prefix is the ancestry; the ancestor codes are also stored as columns so that a
    subtree is an indexed equality match on every database (`district_code = '35.19'`).
    """

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=5, blank=True, db_index=True)
    subdistrict_code = models.CharField(max_length=8, blank=True, db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=20, choices=TimeZone.choices)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    bps_code = models.CharField(_("BPS code"), max_length=13, blank=True)
    # Counts of active descendants, refreshed by every import (the tree only changes then).
    district_count = models.PositiveIntegerField(default=0)
    subdistrict_count = models.PositiveIntegerField(default=0)
    village_count = models.PositiveIntegerField(default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors"
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "valid_to"], name="region_level_active")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[Level(self.level)]

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    @property
    def time_zone_label(self) -> str:
        return TimeZone(self.time_zone).label

    @property
    def ancestor_codes(self) -> list[str]:
        return ancestor_codes(self.code)

    @property
    def is_papuan(self) -> bool:
        return int(self.province_code) >= 91


class RegionImport(models.Model):
    """One run of the region import: its source, fingerprint and what it changed."""

    started_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, db_index=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    restored = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.total:,} regions)"


class RegionBoundary(models.Model):
    """The simplified outline of a provinsi or kab/kota, for maps; imported with
    `aksi boundaries import`. Coordinates are WGS84 lon/lat (GeoJSON axis order)."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    # A GeoJSON Polygon or MultiPolygon geometry object.
    geometry = models.JSONField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    centroid_lon = models.FloatField()
    centroid_lat = models.FloatField()
    vertices = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region"]
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return f"{self.region_id} ({self.vertices:,} vertices)"
