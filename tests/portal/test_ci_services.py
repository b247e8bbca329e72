"""In CI (CI=true) the suite must run on the real services, never fall back."""

import os

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import service_required


@pytest.mark.django_db
def test_database_is_postgresql_when_database_url_is_set():
    if not os.environ.get("DATABASE_URL"):
        service_required("PostgreSQL")
    assert connection.vendor == "postgresql"


def test_redis_answers_when_redis_url_is_set():
    if not settings.REDIS_URL:
        service_required("Redis")
    import redis

    assert redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
