# Service assessment reports: one image that serves the web app with gunicorn.
#   docker build -t service-assessment-reports .
#   docker run -p 8000:8000 -e SECRET_KEY=... -e ALLOWED_HOSTS=... -e BASE_URL=... -e DATABASE_URL=... \
#     -e NOTIFY_API_KEY=... -e NOTIFY_CALLBACK_TOKEN=... service-assessment-reports
# Run migrations with the same image: docker run ... service-assessment-reports python manage.py migrate
# and the django-q2 worker with: ... python manage.py qcluster

# --- 1. GOV.UK Frontend: Sass to CSS, JS and assets into site/dist --------------------------------
FROM node:20-slim AS frontend
WORKDIR /build/site
# Dependencies first, so this layer is cached until the lock file changes.
COPY site/package.json site/package-lock.json site/.npmrc ./
RUN npm ci --no-audit --no-fund
COPY site/build.mjs ./
COPY site/src ./src
RUN npm run build

# --- 2. The Python application ------------------------------------------------------------------
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production
WORKDIR /app

# The pinned dependencies from pyproject.toml (it declares no packages of its own, so this layer
# needs only that file and is cached until it changes). psycopg[binary] and Pillow ship wheels:
# no compiler or libpq needed.
COPY pyproject.toml ./
RUN pip install .

# The application code (.dockerignore leaves out tests, local tooling (scripts, devtools, bench), node_modules and any
# locally built site/dist), then the assets built in the first stage.
COPY . .
COPY --from=frontend /build/site/dist ./site/dist

# Static files into STATIC_ROOT (/app/static) with hashed names and compressed copies, served by
# whitenoise. Production settings refuse to load without these, so give throwaway values for this
# one command only; they are not left in the image's environment.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    BASE_URL=https://collectstatic.invalid \
    ALLOW_MISSING_NOTIFY_API_KEY=true \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/media \
    && chown app /app/media
USER app

EXPOSE 8000
# The open data exports stream every published report: about 2 minutes (CSV) and 4 (JSON) at 100,000 reports, past
# gunicorn's default 30 s timeout, which would cut them off half-way.
CMD ["gunicorn", "cms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "300"]
