"""The ministry's directory (LDAP / Active Directory), read only from the environment.

With LDAP_SERVER_URI unset nothing here is used and django-auth-ldap need not be installed
(`uv sync --extra ldap` installs it). The directory only checks passwords: a directory user
signs in as the thidua user with the same username or e-mail, and gets no rights from it.
"""

from __future__ import annotations

from config.env import Env


def directory_settings(env: Env) -> dict:
    uri = env.str("LDAP_SERVER_URI", default="") or ""
    if not uri:
        return {"LDAP_ENABLED": False}
    import ldap
    from django_auth_ldap.config import LDAPSearch

    username_attr = env.str("LDAP_USERNAME_ATTR", default="uid")
    base = env.required("LDAP_SEARCH_BASE", "it says where the directory's users are")
    timeout = env.int("LDAP_TIMEOUT", default=5, minimum=1)
    return {
        "LDAP_ENABLED": True,
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": env.str("LDAP_BIND_DN", default="") or "",
        "AUTH_LDAP_BIND_PASSWORD": env.str("LDAP_BIND_PASSWORD", default="") or "",
        "AUTH_LDAP_START_TLS": env.bool("LDAP_START_TLS", default=False),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            base, ldap.SCOPE_SUBTREE, f"({username_attr}=%(user)s)"
        ),
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout,
            ldap.OPT_REFERRALS: 0,
        },
        # No user is made and nothing is copied from the directory but what matching needs.
        "AUTH_LDAP_NO_NEW_USERS": True,
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        "AUTH_LDAP_MIRROR_GROUPS": False,
        "LDAP_EMAIL_ATTR": env.str("LDAP_EMAIL_ATTR", default="mail"),
        "LDAP_STAFF_CODE_ATTR": env.str("LDAP_STAFF_CODE_ATTR", default="employeeNumber"),
        # When the directory does not answer: also try the thidua password (true) or refuse.
        "LDAP_PASSWORD_FALLBACK": env.bool("LDAP_PASSWORD_FALLBACK", default=True),
    }
