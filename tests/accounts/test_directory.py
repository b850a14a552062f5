"""Directory sign-in against a real OpenLDAP server (Debian's slapd, started here with a tiny
test directory): matched to a thidua user by username or e-mail, no rights from the directory,
and a clear message when the directory does not answer."""

import importlib.util
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from config.directory import directory_settings
from config.env import Env
from tests.factories import PersonFactory, UserFactory
from tests.needs import need

pytestmark = pytest.mark.django_db

SUFFIX = "dc=example,dc=gov"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"

LDIF = f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,{SUFFIX}
objectClass: organizationalUnit
ou: people

dn: uid=lan,ou=people,{SUFFIX}
objectClass: inetOrgPerson
uid: lan
cn: Nguyen Thi Lan
sn: Nguyen
mail: lan@example.gov.vn
employeeNumber: NV-001
userPassword: lan-directory-pass

dn: uid=binh.tran,ou=people,{SUFFIX}
objectClass: inetOrgPerson
uid: binh.tran
cn: Tran Binh
sn: Tran
mail: binh@example.gov.vn
userPassword: binh-directory-pass

dn: uid=stranger,ou=people,{SUFFIX}
objectClass: inetOrgPerson
uid: stranger
cn: Stranger
sn: Stranger
mail: stranger@example.gov.vn
userPassword: stranger-directory-pass
"""


@pytest.fixture(autouse=True)
def _ldap_installed():
    need(
        importlib.util.find_spec("django_auth_ldap") is not None,
        "needs django-auth-ldap (uv sync --extra ldap; apt-get install libldap2-dev libsasl2-dev)",
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    binary = shutil.which("slapd") or "/usr/sbin/slapd"
    binary = binary if Path(binary).exists() else None
    need(binary is not None, "needs OpenLDAP's slapd (apt-get install slapd ldap-utils)")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "db").mkdir()
    config = folder / "slapd.conf"
    config.write_text(
        "include /etc/ldap/schema/core.schema\n"
        "include /etc/ldap/schema/cosine.schema\n"
        "include /etc/ldap/schema/inetorgperson.schema\n"
        f"pidfile {folder}/slapd.pid\n"
        "modulepath /usr/lib/ldap\n"
        "moduleload back_mdb\n"
        "database mdb\n"
        f'suffix "{SUFFIX}"\n'
        f'rootdn "{ADMIN_DN}"\n'
        f"rootpw {ADMIN_PASSWORD}\n"
        f"directory {folder}/db\n"
    )
    (folder / "data.ldif").write_text(LDIF)
    subprocess.run(
        [binary, "-T", "add", "-f", str(config), "-l", str(folder / "data.ldif")],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    subprocess.run(
        [binary, "-h", f"ldap://127.0.0.1:{port}/", "-f", str(config)], check=True, timeout=30
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"ldap://127.0.0.1:{port}"
    pid = int((folder / "slapd.pid").read_text())
    subprocess.run(["kill", str(pid)], check=False)


def _configure(settings, uri, **extra):
    environ = {
        "LDAP_SERVER_URI": uri,
        "LDAP_BIND_DN": ADMIN_DN,
        "LDAP_BIND_PASSWORD": ADMIN_PASSWORD,
        "LDAP_SEARCH_BASE": f"ou=people,{SUFFIX}",
        "LDAP_TIMEOUT": "2",
        **extra,
    }
    for name, value in directory_settings(Env(environ)).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.ldap.DirectoryBackend",
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _user_id(client):
    return client.session.get("_auth_user_id")


def test_a_directory_password_signs_in_the_thidua_user_of_that_username(client, settings, slapd):
    _configure(settings, slapd)
    lan = UserFactory(username="lan", email="lan@example.gov.vn")
    assert _sign_in(client, "lan", "lan-directory-pass").status_code == 302
    assert _user_id(client) == str(lan.pk)
    lan.refresh_from_db()
    assert not lan.is_staff and not lan.is_superuser and not lan.groups.exists()


def test_a_directory_user_is_matched_by_email(client, settings, slapd):
    _configure(settings, slapd)
    binh = UserFactory(username="binh", email="binh@example.gov.vn")
    _sign_in(client, "binh.tran", "binh-directory-pass")
    assert _user_id(client) == str(binh.pk)


def test_a_directory_user_is_matched_by_staff_code(client, settings, slapd, unit):
    _configure(settings, slapd)
    user = UserFactory(username="nguyenlan", email="other@example.gov.vn")
    PersonFactory(code="nv-001", unit=unit, user=user)
    _sign_in(client, "lan", "lan-directory-pass")
    assert _user_id(client) == str(user.pk)


def test_nobody_is_made_from_the_directory_and_a_wrong_password_fails(client, settings, slapd):
    _configure(settings, slapd)
    from units.models import User

    UserFactory(username="lan", email="lan@example.gov.vn")
    assert _sign_in(client, "stranger", "stranger-directory-pass").status_code == 200
    assert not User.objects.filter(username="stranger").exists()
    assert _sign_in(client, "lan", "wrong-password").status_code == 200
    assert _user_id(client) is None


def test_a_deactivated_user_cannot_sign_in_with_the_directory(client, settings, slapd):
    _configure(settings, slapd)
    UserFactory(username="lan", email="lan@example.gov.vn", is_active=False)
    _sign_in(client, "lan", "lan-directory-pass")
    assert _user_id(client) is None


def test_a_directory_that_does_not_answer_says_so_and_the_thidua_password_works(
    client, settings, password
):
    _configure(settings, f"ldap://127.0.0.1:{_free_port()}")
    user = UserFactory(username="lan", email="lan@example.gov.vn")
    response = _sign_in(client, "lan", "lan-directory-pass")
    assert response.status_code == 200
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("không phản hồi" in text for text in texts)
    _sign_in(client, "lan", password)  # LDAP_PASSWORD_FALLBACK (the default)
    assert _user_id(client) == str(user.pk)


def test_without_fallback_a_silent_directory_refuses_every_password(client, settings, password):
    _configure(settings, f"ldap://127.0.0.1:{_free_port()}", LDAP_PASSWORD_FALLBACK="false")
    UserFactory(username="lan", email="lan@example.gov.vn")
    _sign_in(client, "lan", password)
    assert _user_id(client) is None
