"""Smoke test of the production image, run natively (no Docker needed).

The Dockerfile's own build step (its RUN lines after `COPY . .` that call manage.py) runs in a
copy of the build context, then its CMD's gunicorn serves that copy with DEBUG=false, bound to
127.0.0.1 on a free port with fewer workers, behind a pretend TLS proxy as in compose.yaml.
Nothing is retyped: a change to the Dockerfile's build or start command is what gets tested.
The database is a SQLite file migrated for the test; Redis is not used (tasks run eagerly).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django_otp.oath import TOTP

from tests.needs import need_gettext

ROOT = Path(__file__).resolve().parents[2]
USERNAME, PASSWORD = "smoke", "smoke-test-password-7"
HASHED_STYLESHEET = re.compile(r"/static/css/app\.[0-9a-f]{12}\.css")


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs: comment lines dropped, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    pairs = [line.strip().partition(" ") for line in joined.splitlines() if line.strip()]
    return [(keyword.upper(), arguments.strip()) for keyword, _, arguments in pairs]


def _build_and_command() -> tuple[list[str], list[str]]:
    """The shell lines that build the copied tree, and the container's command. The other
    RUN lines prepare the image itself (its user's folders) and have no native equivalent."""
    instructions = _dockerfile()
    copied = instructions.index(("COPY", ". ."))
    build = [
        arguments
        for keyword, arguments in instructions[copied + 1 :]
        if keyword == "RUN" and "manage.py" in arguments
    ]
    assert any("collectstatic" in line for line in build), "no collectstatic after COPY . ."
    [command] = [json.loads(arguments) for keyword, arguments in instructions if keyword == "CMD"]
    return build, command


def _copy_build_context(destination: Path) -> None:
    """The tree as `docker build` receives it: without the names .dockerignore lists."""
    ignored = [
        line.strip().removeprefix("**/").strip("/")
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(*ignored))


def _build_env() -> dict[str, str]:
    # A RUN line sees none of this shell's variables; the venv's programs come first, as the
    # image's PATH puts /opt/venv/bin first.
    return {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def _serve_env(folder: Path) -> dict[str, str]:
    return {
        **_build_env(),
        "DEBUG": "false",
        "SECRET_KEY": "smoke-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        # As in compose.yaml: the proxy says the request came over TLS, so the strict
        # DEBUG=false defaults (HTTPS redirect, secure cookies) stay on.
        "BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
    }


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"


def _served_locally(command: list[str], port: int) -> list[str]:
    """The CMD's gunicorn with the same module and options, but local and with two workers."""
    assert command[0] == "gunicorn", command
    argv = list(command)
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    argv[argv.index("--workers") + 1] = "2"
    return argv


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Browser:
    """Just enough of a browser behind the TLS proxy: it keeps cookies, sends the proxy's
    X-Forwarded-Proto, and gives the Origin that Django's CSRF check reads on a secure POST."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> Response:
        return self._request("GET", path, None)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self._request("POST", path, form)

    def _request(self, method: str, path: str, form: dict[str, str] | None) -> Response:
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, form and urlencode(form), headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: m.value for name, m in SimpleCookie(cookie).items()})
        return Response(response.status, response.headers, text)


def _wait_until_listening(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not listen within 60 s:\n{log.read_text()}")


def _stop(server: subprocess.Popen) -> None:
    """Quick shutdown (SIGINT) of gunicorn's process group; SIGKILL what is left after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=5)


@dataclass
class Served:
    browser: Browser
    log: Path

    def output(self) -> str:
        """The end of gunicorn's log, for failure messages."""
        return self.log.read_text()[-4000:]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    """The tree built by the Dockerfile's build step and served by its command."""
    need_gettext()  # the build step compiles the message catalogues
    folder = tmp_path_factory.mktemp("image")
    app = folder / "app"  # the image's WORKDIR
    build, command = _build_and_command()
    _copy_build_context(app)
    for line in build:
        _run(["/bin/sh", "-c", line], app, _build_env())

    env = _serve_env(folder)
    _run(["python", "manage.py", "migrate", "--noinput"], app, env)
    user = {
        "DJANGO_SUPERUSER_USERNAME": USERNAME,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "DJANGO_SUPERUSER_EMAIL": "smoke@example.invalid",
    }
    _run(["python", "manage.py", "createsuperuser", "--noinput"], app, {**env, **user})

    port, log = _free_port(), folder / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            _served_locally(command, port),
            cwd=app,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_listening(server, port, log)
        yield Served(Browser(port), log)
    finally:
        _stop(server)


def test_login_page_links_the_hashed_static_files_and_they_are_served(served):
    page = served.browser.get("/accounts/login/")
    assert page.status == 200, served.output()
    stylesheet = HASHED_STYLESHEET.search(page.text)
    assert stylesheet, "the login page links no manifest-hashed stylesheet"
    assert served.browser.get(stylesheet.group()).status == 200


def test_health_check_is_green(served):
    response = served.browser.get("/healthz")
    assert response.status == 200, response.text + served.output()
    assert json.loads(response.text) == {
        "status": "ok",
        "database": "ok",
        "broker": "eager",
        "templates": "ok",
        "cache": "ok",
    }


def test_signed_in_home_page_answers_after_logging_in_through_the_form(served):
    form = served.browser.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:500] + served.output()
    fields = {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
    login = served.browser.post("/accounts/login/", fields)
    assert login.status == 302 and login.headers["Location"] == "/", login.text[:500]
    # A superuser sets up two-factor sign-in first (accounts): the QR page and a code.
    home = served.browser.get("/")
    assert home.status == 302 and "/accounts/two-factor/setup/" in home.headers["Location"]
    setup = served.browser.get("/accounts/two-factor/setup/")
    assert setup.status == 200 and "<svg" in setup.text, served.output()
    secret = re.search(r'data-otp-secret="([A-Z2-7=]+)"', setup.text)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', setup.text)[1]
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    fields = {"code": code, "next": "/", "csrfmiddlewaretoken": token}
    assert served.browser.post("/accounts/two-factor/setup/", fields).status == 302
    home = served.browser.get("/")
    assert home.status == 200, served.output()
    assert 'action="/accounts/logout/"' in home.text  # the page is drawn for a signed-in user
    assert HASHED_STYLESHEET.search(home.text)


def test_the_build_only_key_is_not_kept_in_the_image_environment():
    kept = [arguments for keyword, arguments in _dockerfile() if keyword in {"ENV", "ARG"}]
    assert not any("SECRET_KEY" in arguments for arguments in kept), kept
