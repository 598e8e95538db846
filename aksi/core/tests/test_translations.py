"""Bahasa Indonesia is the default: every message is translated and the compiled file is current."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES"


def test_it_has_no_untranslated_or_fuzzy_messages() -> None:
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries() if not e.obsolete]
    assert untranslated == []
    assert fuzzy == []


def test_it_ships_a_compiled_catalogue_matching_the_sources() -> None:
    source = polib.pofile(str(LOCALE / "django.po"))
    compiled = polib.mofile(str(LOCALE / "django.mo"))
    expected = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in source.translated_entries()
    }
    actual = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled if e.msgid}
    assert actual == expected, "run `make messages` to recompile django.mo"


def test_it_speaks_indonesian_by_default_and_english_on_request(client: Client, db: None) -> None:
    indonesian = client.get("/regions/").content.decode()
    assert '<html lang="id">' in indonesian
    assert "Provinsi" in indonesian
    client.post("/i18n/setlang/", {"language": "en", "next": "/regions/"})
    english = client.get("/regions/").content.decode()
    assert '<html lang="en">' in english
    assert "Provinces" in english


@pytest.mark.parametrize(("number", "text"), [(83762, "83.762"), (7285, "7.285")])
def test_it_formats_numbers_the_indonesian_way(number: int, text: str) -> None:
    from django.contrib.humanize.templatetags.humanize import intcomma

    with translation.override("id"):
        assert intcomma(number) == text


def test_it_ignores_an_english_browser_until_the_user_chooses(client: Client, db: None) -> None:
    body = client.get("/regions/", headers={"Accept-Language": "en-US,en;q=0.9"}).content
    assert b'<html lang="id">' in body
