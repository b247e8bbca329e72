"""Uploaded files are served only through the permission-checked view."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve, reverse

from portal.models import Record
from tests import factories as f

pytestmark = pytest.mark.django_db


def file_models():
    from django.apps import apps
    from django.db import models

    return [
        (m, fld.name)
        for m in apps.get_models()
        if issubclass(m, Record)
        for fld in m._meta.concrete_fields
        if isinstance(fld, models.FileField)
    ]


def test_no_public_media_url():
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "letters/scan.pdf")
    with pytest.raises(Resolver404):
        resolve("/media/letters/scan.pdf")
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_every_record_file_field_is_known():
    # Letter scans, documents, bulletins and photos all live on Record models.
    labels = {f"{m._meta.label_lower}.{name}" for m, name in file_models()}
    assert "responsibility.responsibilityletter.offline_scan" in labels
    assert "publicity.activityphoto.image" in labels
    assert "portal.attachment.file" in labels


@pytest.fixture
def document(world):
    from responsibility.models import WorkDocument

    doc = WorkDocument(committee=world.committee, title="工作方案", date=f.a_date(), kind=WorkDocument.Kind.choices[0][0])
    doc.file.save("plan.pdf", ContentFile(b"%PDF-1.4 secret plan"), save=False)
    doc.save()
    return doc


def test_file_is_served_after_the_scope_check(world, client, client_for, document):
    url = reverse("file_download", args=[document._meta.label_lower, document.pk, "file"])
    response = client_for(world.office).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret plan"
    assert "attachment" in response["Content-Disposition"]
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert client_for(world.outsider).get(url).status_code == 404
    # A field that is not a file, or a model that is not a record, is 404.
    assert client_for(world.office).get(url.replace("/file/", "/title/")).status_code == 404
    assert client_for(world.office).get(reverse("file_download", args=["auth.user", world.office.pk, "password"])).status_code == 404


def test_trashed_record_file_is_not_served(world, client_for, document):
    from portal import services
    from portal.access import actor_for

    services.record_trash(actor=actor_for(world.office), record=document)
    url = reverse("file_download", args=[document._meta.label_lower, document.pk, "file"])
    assert client_for(world.office).get(url).status_code == 404


def test_attachments_are_never_served_by_the_generic_file_view(world, client_for):
    """The generic view scopes by committee only; an attachment is read through
    its record's scope (branch, talk confidentiality), by its own view."""
    session = f.StudySessionFactory(committee=world.committee, branch=world.branch, kind="party_day")
    attachment = f.attach(session, world.office, "签到.pdf")
    url = reverse("file_download", args=["portal.attachment", attachment.pk, "file"])
    for user in (world.office, world.other_secretary):
        assert client_for(user).get(url).status_code == 404
    assert client_for(world.other_secretary).get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
