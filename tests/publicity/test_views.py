import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from portal.models import Person
from publicity.models import ActivityPhoto, Article, ChannelCheck, InternalBulletin, RoleModel
from tests import factories as f

pytestmark = pytest.mark.django_db


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_office_records_article_and_year_count_rises(world, client_for):
    c = client_for(world.office)
    url = reverse("publicity:article_list") + "?year=2020"
    f.ArticleFactory(committee=world.committee, level=Article.Level.CENTRAL)
    assert c.get(url).context["high_level_count"] == 1
    data = {"date": "2020-05-04", "title": "青年节稿件", "outlet": "湖北日报", "level": "provincial", "author": "郑华", "link": ""}
    assert c.post(reverse("publicity:article_create"), data).status_code == 302
    response = c.get(url)
    assert response.context["high_level_count"] == 2
    assert '<span class="level-provincial">1</span>' in response.content.decode()
    f.ArticleFactory(committee=world.committee, level=Article.Level.CITY)
    assert c.get(url).context["high_level_count"] == 2


@pytest.mark.parametrize("user_attr", ["leader", "branch_secretary"])
def test_leader_and_secretary_read_but_cannot_write(world, client_for, user_attr):
    article = f.ArticleFactory(committee=world.committee)
    channel = f.ChannelFactory(committee=world.committee)
    activity = f.ActivityFactory(committee=world.committee)
    c = client_for(getattr(world, user_attr))
    assert c.get(reverse("publicity:article_detail", args=[article.pk])).status_code == 200
    assert c.get(reverse("publicity:article_create")).status_code == 403
    assert c.post(reverse("publicity:article_delete", args=[article.pk])).status_code == 403
    response = c.post(reverse("publicity:channel_check_add", args=[channel.pk]), {"date": "2020-06-01"})
    assert response.status_code == 403
    photo = {"image": SimpleUploadedFile("a.png", png_bytes())}
    assert c.post(reverse("publicity:activity_photo_add", args=[activity.pk]), photo).status_code == 403
    assert not ChannelCheck.objects.exists() and not ActivityPhoto.objects.exists()


def test_outsider_gets_404_everywhere(world, client_for):
    c = client_for(world.outsider)
    records = {
        "article": f.ArticleFactory(committee=world.committee),
        "bulletin": f.InternalBulletinFactory(committee=world.committee),
        "channel": f.ChannelFactory(committee=world.committee),
        "rolemodel": f.RoleModelFactory(committee=world.committee),
        "activity": f.ActivityFactory(committee=world.committee),
    }
    for name, obj in records.items():
        assert c.get(reverse(f"publicity:{name}_detail", args=[obj.pk])).status_code == 404
        assert c.post(reverse(f"publicity:{name}_update", args=[obj.pk])).status_code == 404
    assert c.post(reverse("publicity:channel_check_add", args=[records["channel"].pk]), {"date": "2020-01-01"}).status_code == 404
    assert not ChannelCheck.objects.exists()


def bulletin_post(**extra):
    data = {"series": "《形势分析报告》", "issue_no": "2020年第1期", "date": "2020-04-30", "title": "形势分析"}
    data.update(extra)
    return data


def test_duplicate_bulletin_issue_is_a_form_error(world, client_for):
    c = client_for(world.office)
    assert c.post(reverse("publicity:bulletin_create"), bulletin_post()).status_code == 302
    response = c.post(reverse("publicity:bulletin_create"), bulletin_post(issue_no=" 2020年第1期 "))
    assert response.status_code == 200
    assert "《形势分析报告》 2020年第1期 已存在" in response.content.decode()
    assert InternalBulletin.objects.count() == 1
    # Another committee may use the same number; editing keeps its own number.
    f.InternalBulletinFactory(committee=world.other_committee, issue_no="2020年第1期")
    bulletin = InternalBulletin.objects.get(committee=world.committee)
    assert c.post(reverse("publicity:bulletin_update", args=[bulletin.pk]), bulletin_post(title="改")).status_code == 302


def test_bulletin_file_is_checked_and_served_only_in_scope(world, client_for):
    c = client_for(world.office)
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all")
    response = c.post(reverse("publicity:bulletin_create"), bulletin_post(file=fake))
    assert "文件内容不是有效的 PDF" in response.content.decode()
    real = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n")
    assert c.post(reverse("publicity:bulletin_create"), bulletin_post(file=real)).status_code == 302
    bulletin = InternalBulletin.objects.get()
    url = reverse("file_download", args=["publicity.internalbulletin", bulletin.pk, "file"])
    assert c.get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404


def test_office_adds_channel_check_on_detail_page(world, client_for):
    channel = f.ChannelFactory(committee=world.committee)
    c = client_for(world.office)
    url = reverse("publicity:channel_check_add", args=[channel.pk])
    response = c.post(url, {"date": "2020-09-30", "findings": "内容健康"})
    assert response.status_code == 302
    check = ChannelCheck.objects.get()
    assert (check.channel, check.committee, check.created_by) == (channel, world.committee, world.office)
    body = c.get(reverse("publicity:channel_detail", args=[channel.pk])).content.decode()
    assert "2020-09-30" in body and "内容健康" in body
    response = c.post(url, {"date": "不是日期"}, follow=True)
    assert "检查日期：" in response.content.decode()
    assert ChannelCheck.objects.count() == 1
    assert c.get(url).status_code == 405


def test_role_model_person_limited_to_committee(world, client_for):
    c = client_for(world.office)
    outsider_person = Person.objects.get(user=world.outsider)
    data = {"year": "2020", "person": outsider_person.pk, "honour": "勤廉兼优", "story": "", "video_url": ""}
    response = c.post(reverse("publicity:rolemodel_create"), data)
    assert response.status_code == 200 and not RoleModel.objects.exists()
    data["person"] = Person.objects.get(user=world.leader).pk
    data["video_url"] = "javascript:alert(1)"
    assert c.post(reverse("publicity:rolemodel_create"), data).status_code == 200
    data["video_url"] = "https://video.example.org/kangyi"
    assert c.post(reverse("publicity:rolemodel_create"), data).status_code == 302
    model = RoleModel.objects.get()
    assert "观看视频" in c.get(reverse("publicity:rolemodel_detail", args=[model.pk])).content.decode()


def test_activity_photos_are_checked_and_served_through_the_protected_view(world, client_for, settings):
    activity = f.ActivityFactory(committee=world.committee)
    c = client_for(world.office)
    url = reverse("publicity:activity_photo_add", args=[activity.pk])
    for name, data, message in [
        ("fake.png", b"GIF89a not really", "文件不是有效的图片"),
        ("photo.exe", png_bytes(), "不支持的文件类型"),
    ]:
        response = c.post(url, {"image": SimpleUploadedFile(name, data)}, follow=True)
        assert message in response.content.decode()
    from publicity import forms

    big = png_bytes((1200, 1200))
    original = forms.MAX_PHOTO_BYTES
    forms.MAX_PHOTO_BYTES = len(big) - 1
    try:
        response = c.post(url, {"image": SimpleUploadedFile("big.png", big)}, follow=True)
    finally:
        forms.MAX_PHOTO_BYTES = original
    assert "文件过大" in response.content.decode()
    assert not ActivityPhoto.objects.exists()

    response = c.post(url, {"image": SimpleUploadedFile("flag.png", png_bytes()), "caption": "合影"})
    assert response.status_code == 302
    photo = ActivityPhoto.objects.get()
    assert photo.activity == activity and photo.committee == world.committee
    download = reverse("file_download", args=["publicity.activityphoto", photo.pk, "image"])
    body = c.get(reverse("publicity:activity_detail", args=[activity.pk])).content.decode()
    assert f'src="{download}"' in body and "合影" in body
    response = client_for(world.leader).get(download)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client_for(world.outsider).get(download).status_code == 404


def test_future_activity_dates_are_allowed_but_year_filter_applies(world, client_for):
    f.ActivityFactory(committee=world.committee, date=datetime.date(2020, 12, 31), title="年末活动")
    f.ActivityFactory(committee=world.committee, date=datetime.date(2021, 1, 1), title="新年活动")
    body = client_for(world.office).get(reverse("publicity:activity_list") + "?year=2020").content.decode()
    assert "年末活动" in body and "新年活动" not in body


FACTORIES = {
    "article": lambda c, i: f.ArticleFactory(committee=c),
    "bulletin": lambda c, i: f.InternalBulletinFactory(committee=c),
    "channel": lambda c, i: f.ChannelCheckFactory(committee=c),
    "rolemodel": lambda c, i: f.RoleModelFactory(committee=c),
    "activity": lambda c, i: f.ActivityFactory(committee=c),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_list_query_count_is_flat(world, client_for, django_assert_max_num_queries, name):
    c = client_for(world.office)
    url = reverse(f"publicity:{name}_list") + "?year=2020"
    for i in range(2):
        FACTORIES[name](world.committee, i)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    for i in range(15):
        FACTORIES[name](world.committee, i)
    with django_assert_max_num_queries(len(few)):
        assert c.get(url).status_code == 200


def test_checks_and_photos_are_removed_to_the_trash_by_the_office_only(world, client_for):
    check = f.ChannelCheckFactory(committee=world.committee)
    activity = f.ActivityFactory(committee=world.committee)
    photo = ActivityPhoto.objects.create(
        committee=world.committee, activity=activity, image=SimpleUploadedFile("a.png", png_bytes())
    )
    check_url = reverse("publicity:channel_check_remove", args=[check.channel.pk, check.pk])
    photo_url = reverse("publicity:activity_photo_remove", args=[activity.pk, photo.pk])
    assert client_for(world.leader).post(check_url).status_code == 403
    assert client_for(world.outsider).post(photo_url).status_code == 404
    other_activity = f.ActivityFactory(committee=world.committee)
    wrong_parent = reverse("publicity:activity_photo_remove", args=[other_activity.pk, photo.pk])
    assert client_for(world.office).post(wrong_parent).status_code == 404
    assert ChannelCheck.objects.count() == 1 and ActivityPhoto.objects.count() == 1
    c = client_for(world.office)
    assert c.post(check_url).status_code == 302
    assert c.post(photo_url).status_code == 302
    assert not ChannelCheck.objects.exists() and not ActivityPhoto.objects.exists()
    assert ChannelCheck.all_objects.get().deleted_by == world.office
    download = reverse("file_download", args=["publicity.activityphoto", photo.pk, "image"])
    assert c.get(download).status_code == 404


def test_services_refuse_records_of_another_committee(world):
    from django.core.exceptions import PermissionDenied

    from portal.access import actor_for
    from publicity import services

    foreign = f.ChannelFactory(committee=world.other_committee)
    with pytest.raises(PermissionDenied):
        services.channel_check_add(actor=actor_for(world.office), channel=foreign, date=datetime.date(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        services.channel_check_add(actor=actor_for(world.leader), channel=f.ChannelFactory(committee=world.committee), date=datetime.date(2020, 1, 1))
    assert not ChannelCheck.objects.exists()
