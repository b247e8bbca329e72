import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The shared ``world`` fixture sets six passwords; PBKDF2 at production
    strength costs seconds per test on a busy machine, and these tests are
    about permissions, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
