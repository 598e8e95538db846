"""Extract UI strings into the Indonesian .po file, leaving it untouched when nothing changed.

makemessages always rewrites the header date; restoring the old file when the entries are the
same keeps the working tree clean after `make test`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "aksi" / "locale" / "id" / "LC_MESSAGES" / "django.po"


def entries(path: Path) -> set[tuple[str, str, str, str]]:
    if not path.exists():
        return set()
    return {
        (e.msgctxt or "", e.msgid, e.msgstr, repr(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(path))
        if not e.obsolete
    } | {("fuzzy", e.msgid, "", "") for e in polib.pofile(str(path)).fuzzy_entries()}


def main() -> int:
    if shutil.which("xgettext") is None:
        print("NOTICE: gettext is missing; translation extraction skipped.")
        return 0
    backup = PO.read_bytes() if PO.exists() else None
    before = entries(PO)
    aksi = Path(sys.executable).parent / "aksi"
    subprocess.run(
        [str(aksi), "makemessages", "-l", "id", "--no-obsolete", "--no-location", "-v0"],
        cwd=ROOT / "aksi",
        check=True,
    )
    if backup is not None and entries(PO) == before:
        PO.write_bytes(backup)
    else:
        name = PO.relative_to(ROOT)
        print(f"{name} has new or changed messages: translate them, then `make messages`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
