"""Settings for thidua, read from the environment (see README "Production variables").

With no environment at all the app runs on its embedded default: SQLite in ./var, Celery tasks
run eagerly in the web process, and mail is printed to the console.
"""

import datetime
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="embedded-default-not-for-production-" + "x" * 32)
else:
    SECRET_KEY = env.required("SECRET_KEY", "it signs sessions and tokens when DEBUG is off")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "config.apps.SignInThrottleConfig",  # django-axes
    "units",
    "campaigns",
    "awards",
    "blocs",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Second factor and idle sessions (accounts): after the user is known.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AccountsMiddleware",
    "config.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: turns a sign-in refused by the throttle into its 429 page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves the collected static files itself (no CDN, no separate web server);
    # in development runserver serves them from the app folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.roles",
                "units.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env.database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the eager Celery tasks and the web requests of the embedded default overlap.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The directory (README "Accounts"): django-auth-ldap, only when LDAP_SERVER_URI is set.
from config.directory import directory_settings  # noqa: E402

globals().update(directory_settings(env))
if LDAP_ENABLED:  # noqa: F821 (set just above)
    AUTHENTICATION_BACKENDS.insert(1, "accounts.ldap.DirectoryBackend")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Accounts (README "Accounts"): invitations, two-factor sign-in and sessions.
INVITE_DAYS = env.int("INVITE_DAYS", default=7, minimum=1)
# Two-factor sign-in is required of administrators, the board's secretary and council members;
# off only for a quick look at the demo (and in the test suite, which turns it on where tested).
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="thidua")
# A session ends after this many minutes without a request (0: only SESSION_COOKIE_AGE);
# SESSION_EXPIRE_AT_BROWSER_CLOSE ends it when the browser closes.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60, minimum=0)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
if SESSION_IDLE_MINUTES:
    SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

# The address of the client behind this many proxies of ours (config.addresses); 0 = none,
# X-Forwarded-For is then ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0, minimum=0)

# Sign-in throttling (django-axes). Every way to sign in, the login page and the admin's, goes
# through the authentication backends, where axes counts failures in the database (shared by
# all workers, no Redis needed). A lock-out holds one username from one client address: nobody
# elsewhere can lock a user out, and signing in clears the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_THROTTLE_ATTEMPTS", default=5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    seconds=env.int("LOGIN_THROTTLE_WINDOW", default=15 * 60, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "units.views.login_locked_out"
# No log of every sign-in (it grows without end); the attempts page is enough to see and unlock.
AXES_DISABLE_ACCESS_LOG = True
# units.admin registers the attempts page alone (axes would add its two empty log pages).
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "vendor_locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence is private: MEDIA_ROOT is never served by URL, only through views that
# check permissions, so there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(MAX_UPLOAD_SIZE, 2_621_440)

REDIS_URL = env.redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to the database when Redis is down (config/cache.py); the timeouts
            # bound what a Redis that does not answer costs a request.
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "thidua",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker configured, tasks run eagerly inside the caller (embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An unacknowledged task (its worker died) is delivered again after this many seconds; it must
# exceed the longest retry countdown (30 minutes) so a waiting retry is not run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600, minimum=60)
}
# The one place where periodic jobs are scheduled (times are Asia/Ho_Chi_Minh, CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    # 07:30 every day: create the reminders due today (before the due date, overdue,
    # escalation to the secretary, last week's digest) and queue them. Weekends and public
    # holidays send nothing; the next working day catches up.
    "reminders-sweep": {
        "task": "campaigns.tasks.reminders_sweep",
        "schedule": crontab(hour=7, minute=30),
    },
    # Every 15 minutes: queue again reminders and messages whose task was lost and failed sends
    # now due.
    "reminders-requeue": {
        "task": "campaigns.tasks.reminders_requeue",
        "schedule": crontab(minute="*/15"),
    },
    "messages-requeue": {
        "task": "units.tasks.messages_requeue",
        "schedule": crontab(minute="*/15"),
    },
    # Hourly: open and close publicity windows (awards.tasks), so a window opens early on its
    # first day and a missed run is made up by the next.
    "awards-publicity-sweep": {"task": "awards.tasks.publicity_sweep", "schedule": 60 * 60},
    # 00:30 every day: close the campaigns whose last period has locked (read-only history).
    "campaigns-close": {
        "task": "campaigns.tasks.campaigns_close",
        "schedule": crontab(hour=0, minute=30),
    },
}
# Reminders sent by one task; a worker killed mid-batch resends none of those already sent.
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=100, minimum=1)

EMAIL_SMTP_HOST = env.str("EMAIL_HOST")
if EMAIL_SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_SMTP_HOST,
                "port": env.int("EMAIL_PORT", default=587, minimum=1),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": env.str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=True),
                "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
                "timeout": env.int("EMAIL_TIMEOUT", default=20, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="thidua@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Security. Defaults are strict whenever DEBUG is off; each can be relaxed explicitly.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000, minimum=0)
# includeSubDomains binds every host under the domain (other services of the ministry may not
# have TLS) and preload is listed in browsers for months: both only on the operator's word.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if SECURE_HSTS_PRELOAD and not (
    SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_SECONDS >= 31_536_000
):
    raise ImproperlyConfigured(
        "SECURE_HSTS_PRELOAD=true needs SECURE_HSTS_INCLUDE_SUBDOMAINS=true and "
        "SECURE_HSTS_SECONDS of at least 31536000 (what the preload list requires)."
    )
# Not opting in is a decision, not an oversight: `check --deploy` does not warn about it.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
# Admin imports are measured before they are parsed (config/imports.py).
MAX_IMPORT_SIZE = env.int("MAX_IMPORT_SIZE", default=5 * 1024 * 1024, minimum=1024)
MAX_IMPORT_ROWS = env.int("MAX_IMPORT_ROWS", default=20_000, minimum=1)
MAX_IMPORT_UNZIPPED_SIZE = env.int(
    "MAX_IMPORT_UNZIPPED_SIZE", default=50 * 1024 * 1024, minimum=1024 * 1024
)
MAX_IMPORT_RATIO = env.int("MAX_IMPORT_RATIO", default=100, minimum=1)
IMPORT_TMP_DIR = VAR_DIR / "import-tmp"
IMPORT_TMP_MAX_AGE = env.int("IMPORT_TMP_MAX_AGE", default=3600, minimum=60)
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Formulas are neutralised by config.imports.SAFE_FORMATS, which leave empty cells and flags alone.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed sign-ins and lock-outs are warnings; axes' step-by-step notes are not needed.
        "axes": {"level": "WARNING"},
    },
}

# Dates are read as dd/mm/yyyy first (forms, imports), ISO second.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# Days a report stays editable after the secretary reopens it past its lock date.
REPORT_REOPEN_DAYS = env.int("REPORT_REOPEN_DAYS", default=7, minimum=1)

# Commendations. Awards the law does not put to a threshold need more than this share of ALL
# council members; public comments allowed per client address within the window (seconds).
COUNCIL_MAJORITY_PERCENT = env.int("COUNCIL_MAJORITY_PERCENT", default=50, minimum=1)
if COUNCIL_MAJORITY_PERCENT > 99:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("COUNCIL_MAJORITY_PERCENT must be at most 99.")
PUBLIC_COMMENT_LIMIT = env.int("PUBLIC_COMMENT_LIMIT", default=5, minimum=1)
PUBLIC_COMMENT_WINDOW = env.int("PUBLIC_COMMENT_WINDOW", default=60 * 60, minimum=1)

# The secret ballot (README "The secret ballot"): the size of each meeting's Paillier key, and
# the scrypt cost (N, a power of two; memory is 1 KiB × N) of the key derived from the chair's
# and the secretary's passphrases. Tests set both lower through Django's settings.
BALLOT_KEY_BITS = env.int("BALLOT_KEY_BITS", default=3072, minimum=2048)
BALLOT_SCRYPT_N = env.int("BALLOT_SCRYPT_N", default=2**17, minimum=2**15)
if BALLOT_KEY_BITS > 4096 or BALLOT_KEY_BITS % 256:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("BALLOT_KEY_BITS must be a multiple of 256, at most 4096.")
if BALLOT_SCRYPT_N & (BALLOT_SCRYPT_N - 1) or BALLOT_SCRYPT_N > 2**20:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("BALLOT_SCRYPT_N must be a power of two, at most 2**20.")
