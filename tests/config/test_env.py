import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import Env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("No", False)]
)
def test_bool_accepts_the_usual_spellings(raw, expected):
    assert Env({"DEBUG": raw}).bool("DEBUG", default=not expected) is expected


def test_bool_refuses_a_typo_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='ture' is not a boolean"):
        Env({"DEBUG": "ture"}).bool("DEBUG", default=False)


def test_missing_or_blank_values_take_the_default():
    env = Env({"BLANK": "   "})
    assert env.bool("BLANK", default=True) is True
    assert env.int("ABSENT", default=7) == 7
    assert env.list("ABSENT", default=["a"]) == ["a"]


def test_int_refuses_text_and_values_below_the_minimum():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='25a' is not a whole number"):
        Env({"EMAIL_PORT": "25a"}).int("EMAIL_PORT", default=25)
    with pytest.raises(ImproperlyConfigured, match="must be at least 1"):
        Env({"EMAIL_PORT": "0"}).int("EMAIL_PORT", default=25, minimum=1)


def test_list_splits_on_commas_and_refuses_empty_items():
    assert Env({"HOSTS": "a.vn, b.vn"}).list("HOSTS", default=[]) == ["a.vn", "b.vn"]
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        Env({"HOSTS": "a.vn,,b.vn"}).list("HOSTS", default=[])


def test_database_url_parses_postgres_and_sqlite():
    pg = Env({"DATABASE_URL": "postgres://u:p@db:5432/thidua"}).database("DATABASE_URL", "")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["HOST"], pg["PORT"], pg["USER"]) == ("thidua", "db", 5432, "u")
    lite = Env({}).database("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert lite["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "must be a sqlite:// or postgres:// URL"),
        ("postgres://u@h:54x2/db", "not a valid database URL"),
        ("postgres://u@h:5432/", "has no database name"),
    ],
)
def test_database_url_refuses_malformed_values(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        Env({"DATABASE_URL": url}).database("DATABASE_URL", "")


@pytest.mark.parametrize("url", ["localhost:6379", "http://redis:6379/0", "redis://h:port/0"])
def test_redis_url_refuses_malformed_values(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        Env({"REDIS_URL": url}).redis_url("REDIS_URL")


def test_redis_url_absent_means_no_broker():
    assert Env({}).redis_url("REDIS_URL") is None
    assert Env({"REDIS_URL": "redis://r:6379/1"}).redis_url("REDIS_URL") == "redis://r:6379/1"


def _run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # A clean environment: only what the deployment would set, nothing from this test run.
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = _run_settings({"DEBUG": "false", "ALLOWED_HOSTS": "thidua.gov.vn"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_refuse_a_malformed_value_at_start_up():
    result = _run_settings({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_settings_refuse_a_negative_count_of_trusted_proxies():
    result = _run_settings({"TRUSTED_PROXY_COUNT": "-1"}, "check")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT=-1 must be at least 0" in result.stderr


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("MAX_IMPORT_SIZE", "5MB", "MAX_IMPORT_SIZE='5MB' is not a whole number"),
        ("MAX_IMPORT_ROWS", "0", "MAX_IMPORT_ROWS=0 must be at least 1"),
    ],
)
def test_settings_refuse_malformed_import_limits(name, raw, message):
    result = _run_settings({name: raw}, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_passes_with_the_production_variables(tmp_path):
    production = {
        "DEBUG": "false",
        "SECRET_KEY": "k3y-" + "x7Yq!" * 12,
        "ALLOWED_HOSTS": "thidua.moit.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_HOST": "smtp.moit.gov.vn",
    }
    result = _run_settings(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BALLOT_KEY_BITS": "1024"}, "BALLOT_KEY_BITS=1024 must be at least 2048"),
        ({"BALLOT_KEY_BITS": "3000"}, "BALLOT_KEY_BITS must be a multiple of 256"),
        ({"BALLOT_SCRYPT_N": "1024"}, "BALLOT_SCRYPT_N=1024 must be at least 32768"),
        ({"BALLOT_SCRYPT_N": "100000"}, "BALLOT_SCRYPT_N must be a power of two"),
    ],
)
def test_settings_refuse_a_weak_or_malformed_ballot_key_setting(env, message):
    """The tests' small keys come through Django's settings, never from these variables."""
    result = _run_settings(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def _production(tmp_path) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": "k3y-" + "x7Yq!" * 12,
        "ALLOWED_HOSTS": "thidua.moit.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }


_HSTS = (
    "from django.conf import settings as s; "
    "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
)


def test_hsts_subdomains_and_preload_are_opt_in(tmp_path):
    result = _run_settings(_production(tmp_path), "shell", "-c", _HSTS)
    assert result.stdout.split()[-2:] == ["False", "False"], result.stderr
    opted = {
        **_production(tmp_path),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "yes",
    }
    result = _run_settings(opted, "shell", "-c", _HSTS)
    assert result.stdout.split()[-2:] == ["True", "True"], result.stderr


def test_hsts_preload_without_subdomains_or_a_year_is_refused(tmp_path):
    result = _run_settings({**_production(tmp_path), "SECURE_HSTS_PRELOAD": "true"}, "check")
    assert result.returncode != 0 and "SECURE_HSTS_PRELOAD=true needs" in result.stderr
    result = _run_settings({**_production(tmp_path), "SECURE_HSTS_PRELOAD": "maybe"}, "check")
    assert (
        result.returncode != 0 and "SECURE_HSTS_PRELOAD='maybe' is not a boolean" in result.stderr
    )
