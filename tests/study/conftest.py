import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The shared world fixture makes seven users; hashing their passwords with
    the production hasher dominated this package's runtime."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
