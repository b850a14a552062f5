"""The app's settings plus a bare view to compare against (see bench/urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
