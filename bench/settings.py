"""The app's settings plus a bare view to compare against (see bench/urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The bench measures the pages behind the sign-in, not the sign-in: its readers are not made to
# set up a second factor first (the middleware still runs on every request).
TWO_FACTOR_ENFORCED = False
