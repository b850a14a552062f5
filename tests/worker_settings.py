"""Settings for the Celery worker started by the real-worker test (tests/campaigns).

The production settings, read from the same environment (DATABASE_URL, REDIS_URL), with mail
written to the test_outbox table inside each delivery's transaction, and unacknowledged tasks
of a killed worker made visible again after two seconds instead of an hour.
"""

from config.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "tests.campaigns.mailers.RecordingBackend"}}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
