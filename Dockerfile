# One image for every Seconde Vie process; docker-compose.yml picks the command:
#   seconde-vie migrate | topics | relay | worker intake | worker router | timers | ui
# No secret is baked in: everything comes from environment variables at run time.

ARG PYTHON_VERSION=3.11
ARG NODE_VERSION=22
ARG BUN_VERSION=1.4.4

# --- bun, from the npm registry (Reflex builds its frontend with it) ---------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS bun
ARG BUN_VERSION
RUN npm install --prefix /opt/bun --no-audit --no-fund --loglevel=error "bun@${BUN_VERSION}" \
 && /opt/bun/node_modules/.bin/bun --version

# --- the application ---------------------------------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/bun/node_modules/.bin:$PATH \
    REFLEX_USE_SYSTEM_BUN=1 \
    XDG_RUNTIME_DIR=/tmp/seconde-vie-xdg \
    UI_HOST=0.0.0.0 \
    UI_PORT=3000

# bun comes from the npm registry (stage above), so Reflex never downloads its own (nor needs unzip).
RUN groupadd --system --gid 10001 seconde-vie \
 && useradd --system --uid 10001 --gid seconde-vie --home-dir /app --shell /usr/sbin/nologin seconde-vie

COPY --from=bun /opt/bun /opt/bun

WORKDIR /app

# Dependencies first (a layer that changes only with pyproject.toml).
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The project, installed in place: `seconde-vie ui` runs Reflex from the project folder (rxconfig.py, ui/, assets/).
COPY README.md rxconfig.py ./
COPY reflex.lock ./reflex.lock
COPY assets ./assets
COPY schemas ./schemas
COPY events ./events
COPY marketplace ./marketplace
COPY workers ./workers
COPY ui ./ui
RUN pip install --no-deps -e . \
 && python -m marketplace.i18n.compile \
 && mkdir -p /app/.web /app/.states "$XDG_RUNTIME_DIR" \
 && chown -R seconde-vie:seconde-vie /app "$XDG_RUNTIME_DIR"

USER seconde-vie

# Warm the frontend: install its packages now (from the npm registry, at build time) so that the UI
# container only compiles the pages at start, with its own BASE_URL, and downloads nothing.
RUN reflex export --frontend-only --no-zip --loglevel warning \
 && rm -rf /app/.web/build /app/frontend.zip /app/.bun/install/cache

EXPOSE 3000
CMD ["seconde-vie", "--help"]
