# practicebot: one image for Slack and Discord, on SQLite or PostgreSQL. Build: docker compose build
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 practicebot \
    && mkdir /data && chown practicebot:practicebot /data

# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when they change.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
extras = p['optional-dependencies']; \
print('\n'.join(p['dependencies'] + extras['discord'] + extras['slack'] + extras['postgres']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# Then the code, the schema and the question bank.
COPY README.md ./
COPY bot ./bot
COPY migrations ./migrations
COPY questions ./questions
RUN pip install --no-deps .

USER practicebot
ENV PRACTICEBOT_DB=/data/practicebot.db
VOLUME ["/data"]

# Healthy only when the database answers and every platform connection is live.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["practicebot", "health"]

# SIGTERM (docker stop) finishes the posts in flight and exits 0.
STOPSIGNAL SIGTERM
CMD ["practicebot", "run", "--no-console"]
