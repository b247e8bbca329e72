FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STATIC_MANIFEST=1 PORTAL_VAR_DIR=/app/var
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-arphic-ukai gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir "setuptools<81" wheel \
 && pip install --no-cache-dir --no-build-isolation -r requirements.txt
COPY . .
RUN python manage.py compilemessages -v0 --ignore=.venv \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
RUN useradd --create-home portal && mkdir -p /app/var/media /app/var/seal && chmod 700 /app/var/seal && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
