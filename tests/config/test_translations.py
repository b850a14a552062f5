"""Every user-facing string has a Vietnamese translation, and the catalogue is up to date."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.needs import need_gettext

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
VENDOR_PO = ROOT / "vendor_locale" / "vi" / "LC_MESSAGES" / "django.po"
CATALOGUES = pytest.mark.parametrize("po", [PO, VENDOR_PO], ids=["project", "import-export"])


@CATALOGUES
def test_every_vietnamese_entry_is_translated_and_not_fuzzy(po):
    catalogue = polib.pofile(str(po))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


@CATALOGUES
def test_compiled_catalogue_matches_the_po_file(po):
    catalogue = polib.pofile(str(po))
    compiled = polib.mofile(str(po.with_suffix(".mo")))
    expected = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in catalogue.translated_entries()
    }
    actual = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in compiled if e.msgid}
    assert actual == expected, "run: uv run python manage.py compilemessages"


def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    need_gettext()
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "staticfiles", "node_modules", "*.pyc"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--no-location",
            "-i",
            ".venv",
            "-i",
            "tests",
            "-i",
            "bench",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))}
    shipped = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert fresh - shipped == set(), "run makemessages and translate the new strings"
