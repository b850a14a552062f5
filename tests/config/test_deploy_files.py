"""compose.yaml and the Dockerfile must point at things that exist in this checkout."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def _argv(command) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


def _check_command(argv: list[str]) -> None:
    """Resolve the program a container runs to a module, app or management command here."""
    program, *args = argv
    if program in {"sh", "/bin/sh"} and args[:1] == ["-c"]:
        for part in args[1].split("&&"):
            _check_command(shlex.split(part.strip()))
        return
    if program == "gunicorn":
        module, _, attribute = next(
            a for a in args if ":" in a and not a.startswith("-")
        ).partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "celery":
        app_path = args[args.index("-A") + 1]
        app = importlib.import_module(app_path).celery_app
        assert args[2] in {"worker", "beat"} and app.main == "thidua"
    elif program == "python" and args[:1] == ["manage.py"]:
        assert args[1] in get_commands(), f"no management command {args[1]!r}"
    elif program == "exec":
        _check_command(args)
    else:
        raise AssertionError(f"unexpected program {program!r} in {argv}")


def test_compose_has_the_production_services():
    assert {"web", "worker", "beat", "migrate", "db", "redis"} <= set(SERVICES)


@pytest.mark.parametrize("name", ["web", "worker", "beat", "migrate"])
def test_every_app_service_command_points_at_something_real(name):
    _check_command(_argv(SERVICES[name]["command"]))


@pytest.mark.parametrize("name", ["web", "worker", "beat", "db", "redis"])
def test_long_running_services_have_health_checks(name):
    assert SERVICES[name]["healthcheck"]["test"]


def test_app_services_wait_for_migrations_and_healthy_backends():
    for name in ["web", "worker", "beat"]:
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_app_services_get_the_production_variables():
    for name in ["web", "worker", "beat", "migrate"]:
        environment = SERVICES[name]["environment"]
        assert environment["DEBUG"] == "false"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://")
        assert "SECRET_KEY" in environment


def test_dockerfile_uses_the_lock_and_builds_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "uv sync --frozen" in dockerfile
    assert "collectstatic" in dockerfile
    assert "compilemessages" not in dockerfile or "gettext" in dockerfile
