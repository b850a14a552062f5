# Production image: one image for web, worker, beat and the migrate step.
FROM python:3.13-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv \
    && useradd --create-home --uid 1000 thidua

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Static files are collected under the production storage (DEBUG=false): it writes the
# manifest that every page's {% static %} reads at run time. DEBUG=false needs a SECRET_KEY;
# this one lives only for this command, signs nothing and is not kept in the image.
RUN DEBUG=false SECRET_KEY=build-only-key-for-collectstatic-it-signs-nothing-and-is-not-kept \
        python manage.py collectstatic --noinput \
    && python manage.py compilemessages --ignore=.venv
RUN mkdir -p /app/var/media && chown -R thidua:thidua /app/var

USER thidua
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
