"""Helpers for the responsibility tests: actors, signature images, letters in each state."""

import base64
import io

import pytest
from PIL import Image, ImageDraw

from portal.access import actor_for
from responsibility import services
from tests import factories as f


def png_data_url(ink: bool = True, size=(300, 100)) -> str:
    img = Image.new("RGBA", size, (255, 255, 255, 0))
    if ink:
        ImageDraw.Draw(img).line([(10, 50), (120, 20), (250, 80)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2's 1M rounds cost ~0.5 s per user; the checks themselves stay real."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def actors(world):
    class Actors:
        office = actor_for(world.office)
        leader = actor_for(world.leader)
        sec = actor_for(world.branch_secretary)
        other_sec = actor_for(world.other_secretary)
        outsider = actor_for(world.outsider)

    return Actors


def sign_kwargs(letter, password=f.PASSWORD, **overrides):
    kwargs = {
        "letter": letter,
        "password": password,
        "signature_data_url": png_data_url(),
        "seen_hash": letter.body_sha256,
        "ip": "127.0.0.1",
        "user_agent": "pytest",
    }
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def draft(signers, world, actors):
    return services.letter_create(actor=actors.office, branch=world.branch, year=2020)


@pytest.fixture
def issued(draft, actors):
    return services.letter_issue(actor=actors.office, letter=draft)


@pytest.fixture
def signed(issued, actors):
    services.letter_sign(actor=actors.sec, **sign_kwargs(issued))
    issued.refresh_from_db()
    return issued


@pytest.fixture
def complete(signed, actors):
    services.letter_countersign(actor=actors.leader, **sign_kwargs(signed))
    signed.refresh_from_db()
    return signed
