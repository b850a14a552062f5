"""The apps depend one way: units ← campaigns ← awards ← blocs, and the project package `config`
imports none of them (the apps may use its helpers).

What a lower app needs from a higher one is registered by the higher one at start-up (e.g.
`units.roles.register_board_provider`) or found through the app registry (the demo command);
a static import the other way, at the top of a module or inside a function, fails here.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The packages each one may not import: the apps built on it (config: every app).
FORBIDDEN = {
    "units": {"campaigns", "awards", "blocs"},
    "campaigns": {"awards", "blocs"},
    "awards": {"blocs"},
    "blocs": set(),
    "config": {"units", "campaigns", "awards", "blocs"},
}


def imported_modules(source: str, package: str) -> Iterator[tuple[int, str]]:
    """Every module the source imports, with its line; relative imports are resolved against
    `package`, the dotted package the file belongs to."""
    for node in ast.walk(ast.parse(source)):  # walks into functions and classes too
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield node.lineno, ".".join([*base, *filter(None, [node.module])])
            else:
                yield node.lineno, node.module


def _sources(package: str) -> list[Path]:
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def test_no_app_imports_one_built_on_it():
    offences = []
    for package, forbidden in FORBIDDEN.items():
        sources = _sources(package)
        assert sources, package
        for path in sources:
            relative = path.relative_to(ROOT)
            for line, module in imported_modules(
                path.read_text(encoding="utf-8"), ".".join(relative.parent.parts)
            ):
                if module.split(".")[0] in forbidden:
                    offences.append(f"{relative}:{line} imports {module}")
    assert not offences, "A lower package imports a higher one:\n" + "\n".join(offences)


def test_the_scan_sees_imports_inside_functions_and_relative_ones():
    source = (
        "import units.models\n"
        "from . import seed_demo\n"
        "from ...demo import DemoRun\n"
        "def handle():\n"
        "    from awards.selectors import council_members\n"
        "    import campaigns.selectors as selectors\n"
    )
    assert sorted(imported_modules(source, "units.management.commands")) == [
        (1, "units.models"),
        (2, "units.management.commands"),
        (3, "units.demo"),
        (5, "awards.selectors"),
        (6, "campaigns.selectors"),
    ]


# Templates: an app's templates (templates/<app>/) may not include, extend or link to what a
# higher app serves; a higher app adds its part through a slot (units/slots.py). The site's
# shell (templates/*.html, the navigation) belongs to the project and may link to every app.
TEMPLATE_REFERENCE = re.compile(
    r"""{%\s*(?:include|extends)\s+["'](?P<template>[\w/]+)/"""
    r"""|{%\s*url\s+["'](?P<namespace>\w+):"""
)
# The URL namespaces each app serves.
NAMESPACES = {
    "units": {"units", "me"},
    "campaigns": {"campaigns", "reports"},
    "awards": {"awards", "public"},
    "blocs": {"blocs"},
}


def template_references(source: str) -> Iterator[tuple[int, str]]:
    """The app each include, extends and url tag points at, with its line."""
    owner = {namespace: app for app, spaces in NAMESPACES.items() for namespace in spaces}
    for number, line in enumerate(source.splitlines(), start=1):
        for match in TEMPLATE_REFERENCE.finditer(line):
            if match["template"]:
                yield number, match["template"].split("/")[0]
            elif match["namespace"] in owner:
                yield number, owner[match["namespace"]]


def test_no_app_template_reaches_into_one_built_on_it():
    offences = []
    for app in ("units", "campaigns", "awards"):
        for path in sorted((ROOT / "templates" / app).rglob("*")):
            if not path.is_file():
                continue
            for line, target in template_references(path.read_text(encoding="utf-8")):
                if target in FORBIDDEN[app]:
                    offences.append(f"{path.relative_to(ROOT)}:{line} uses {target}")
    assert not offences, "A lower app's template uses a higher app:\n" + "\n".join(offences)


def test_the_template_scan_sees_includes_and_urls():
    source = (
        '{% include "awards/includes/home_tiles.html" %}\n'
        "<a href=\"{% url 'public:list' %}\">{% url 'campaigns:list' %}</a>\n"
        '{% extends "base.html" %}\n'
    )
    assert list(template_references(source)) == [(1, "awards"), (2, "awards"), (2, "campaigns")]
