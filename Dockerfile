# Production image: gunicorn serves the site (static files by WhiteNoise); the same image runs the Celery
# worker and beat. WeasyPrint's libraries, a CJK font and an emoji font are installed for the PDFs.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-noto-cjk fonts-noto-color-emoji postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
RUN DEBUG=false SECRET_KEY=build-only-key-not-used-at-run-time-0123456789abcdefghijklmnop \
    python manage.py collectstatic --noinput \
    && python manage.py compiletranslations \
    && useradd --system --uid 1000 app && mkdir -p /app/media && chown -R app /app/media

USER app
EXPOSE 8000
CMD ["gunicorn", "empowerment.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
