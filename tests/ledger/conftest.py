import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The shared ``world`` fixture hashes five passwords; the default hasher's
    # deliberate slowness buys nothing in these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
