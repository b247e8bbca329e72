"""Evidence attachments on any record: what each role receives on the pages,
the trash and the history, frozen letters, confidential talks, and flat query
counts on a record page with many attachments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal.access import actor_for
from portal.attachments import selectors, services
from portal.models import Attachment
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_url(record):
    return reverse("attachment_add", args=[record._meta.label_lower, record.pk])


def download(client, attachment):
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    body = b"".join(response.streaming_content) if response.status_code == 200 else None
    return response.status_code, body


@pytest.fixture
def meeting(world):
    return f.CommitteeMeetingFactory(committee=world.committee, title="党委会（意识形态专题）")


@pytest.fixture
def session_a(world):
    """A study session of branch A: its secretary writes it, branch B's does not see it."""
    return f.StudySessionFactory(committee=world.committee, branch=world.branch, kind="party_day", theme="主题党日")


# -- pages, role by role ---------------------------------------------------------------------


def test_office_uploads_several_files_sees_them_listed_and_downloads_one(world, client_for, meeting):
    c = client_for(world.office)
    files = [f.evidence_file("签到表.pdf"), f.evidence_file("会场照片.png"), f.evidence_file("会议纪要.docx")]
    response = c.post(add_url(meeting), {"files": files, "note": "第一季度"})
    assert response.status_code == 302
    assert response["Location"] == reverse("responsibility:meeting_detail", args=[meeting.pk]) + "#attachments"
    page = c.get(reverse("responsibility:meeting_detail", args=[meeting.pk])).content.decode()
    assert "附件（佐证材料）" in page
    for name in ("签到表.pdf", "会场照片.png", "会议纪要.docx"):
        assert name in page
    assert "第一季度" in page and "office" in page  # the note, the uploader
    pdf = Attachment.objects.get(original_name="签到表.pdf")
    status, body = download(c, pdf)
    assert (status, body) == (200, "%PDF-1.4 evidence 签到表.pdf".encode())
    response = c.get(reverse("attachment_download", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "%E7%AD%BE" in response["Content-Disposition"]
    # Stored under a random name, not the one the user chose.
    assert "签到表" not in pdf.file.name and len(pdf.file.name.rsplit("/", 1)[-1]) >= 32
    assert pdf.sha256 == __import__("hashlib").sha256(body).hexdigest()


def test_what_each_role_receives_for_a_committee_meeting(world, client_for, meeting):
    attachment = f.attach(meeting, world.office, "纪要.pdf")
    detail = reverse("responsibility:meeting_detail", args=[meeting.pk])
    remove = reverse("attachment_remove", args=[attachment.pk])
    for who in ("leader", "branch_secretary", "other_secretary"):
        c = client_for(getattr(world, who))
        page = c.get(detail).content.decode()
        assert "纪要.pdf" in page, who  # everyone who reads the meeting reads its evidence
        assert 'class="attachment-form' not in page and remove not in page, who  # but only the office changes it
        assert download(c, attachment) == (200, "%PDF-1.4 evidence 纪要.pdf".encode()), who
        assert c.post(add_url(meeting), {"files": [f.evidence_file()]}).status_code == 403, who
        assert c.get(remove).status_code == 403 and c.post(remove).status_code == 403, who
    outsider = client_for(world.outsider)
    assert outsider.get(detail).status_code == 404
    assert download(outsider, attachment)[0] == 404
    assert outsider.post(add_url(meeting), {"files": [f.evidence_file()]}).status_code == 404
    assert outsider.get(remove).status_code == 404 and outsider.post(remove).status_code == 404
    assert Attachment.objects.filter(object_id=meeting.pk).count() == 1
    office_page = client_for(world.office).get(detail).content.decode()
    assert 'class="attachment-form' in office_page and remove in office_page


def test_branch_secretary_writes_evidence_of_their_own_branch_only(world, client_for, session_a):
    own, other = client_for(world.branch_secretary), client_for(world.other_secretary)
    assert own.post(add_url(session_a), {"files": [f.evidence_file("党日签到.jpg")]}).status_code == 302
    attachment = Attachment.objects.get(object_id=session_a.pk)
    assert attachment.mime_type == "image/jpeg" and attachment.created_by == world.branch_secretary
    assert download(own, attachment)[0] == 200
    assert download(other, attachment)[0] == 404  # another branch's record: not even its existence
    assert other.post(add_url(session_a), {"files": [f.evidence_file()]}).status_code == 404
    assert other.post(reverse("attachment_remove", args=[attachment.pk])).status_code == 404
    assert own.get(reverse("attachment_remove", args=[attachment.pk])).status_code == 200  # the confirm page
    assert own.post(reverse("attachment_remove", args=[attachment.pk])).status_code == 302
    assert Attachment.all_objects.get(pk=attachment.pk).deleted_by == world.branch_secretary


def test_a_bad_file_comes_back_as_a_chinese_form_error_and_nothing_is_stored(world, client_for, meeting):
    c = client_for(world.office)
    response = c.post(add_url(meeting), {"files": [f.evidence_file("好.pdf"), f.evidence_file("坏.pdf", b"MZ\x90\x00")]})
    assert response.status_code == 200
    assert "“坏.pdf”：文件内容不是有效的 PDF。" in response.content.decode()
    assert not Attachment.all_objects.exists()  # all or none
    response = c.post(add_url(meeting), {"note": "没有文件"})
    assert response.status_code == 200 and "请选择要上传的文件。" in response.content.decode()


def test_the_count_limit_per_record(world, client_for, meeting, settings):
    settings.PORTAL_ATTACHMENTS_PER_RECORD = 2
    f.attach(meeting, world.office, "1.pdf")
    response = client_for(world.office).post(add_url(meeting), {"files": [f.evidence_file("2.pdf"), f.evidence_file("3.pdf")]})
    assert "每条记录最多 2 个附件，已有 1 个，本次最多还能上传 1 个。" in response.content.decode()
    assert Attachment.objects.count() == 1


# -- the trash and the history ---------------------------------------------------------------


def test_removed_attachment_goes_to_the_trash_and_the_office_restores_it(world, client_for, meeting):
    attachment = f.attach(meeting, world.office, "纪要.pdf")
    office = client_for(world.office)
    office.post(reverse("attachment_remove", args=[attachment.pk]))
    detail = reverse("responsibility:meeting_detail", args=[meeting.pk])
    assert 'class="attachment-row"' not in office.get(detail).content.decode()
    assert download(client_for(world.leader), attachment)[0] == 404  # removed: not served to others
    assert download(office, attachment)[0] == 200  # the office may still check it before restoring
    trash = office.get(reverse("trash")).content.decode()
    assert "附件（佐证材料）" in trash and "纪要.pdf" in trash
    response = office.post(reverse("trash_restore", args=["portal.attachment", attachment.pk]), follow=True)
    assert "已恢复“纪要.pdf”" in response.content.decode()
    assert "纪要.pdf" in office.get(detail).content.decode()
    assert download(client_for(world.leader), attachment)[0] == 200


def test_the_record_history_shows_uploads_removals_and_restores(world, client_for, meeting):
    from portal.trash import trash_restore

    attachment = f.attach(meeting, world.office, "纪要.pdf")
    services.attachment_remove(actor=actor_for(world.office), attachment=attachment)
    trash_restore(actor=actor_for(world.office), record=Attachment.all_objects.get(pk=attachment.pk))
    events = selectors.attachment_history(meeting)
    assert [(e.action, e.name, e.user) for e in events] == [
        ("从回收站恢复", "纪要.pdf", "office"),
        ("移入回收站", "纪要.pdf", "office"),
        ("上传附件", "纪要.pdf", "office"),
    ]
    page = client_for(world.office).get(reverse("responsibility:meeting_history", args=[meeting.pk])).content.decode()
    assert "附件（佐证材料）变动" in page and "移入回收站" in page


def test_attachments_of_a_trashed_record_are_served_to_the_office_only(world, client_for, session_a):
    from portal import services as record_services

    attachment = f.attach(session_a, world.branch_secretary, "签到.pdf")
    record_services.record_trash(actor=actor_for(world.office), record=session_a)
    for who in ("leader", "branch_secretary"):
        assert download(client_for(getattr(world, who)), attachment)[0] == 404, who
    assert download(client_for(world.outsider), attachment)[0] == 404
    assert download(client_for(world.office), attachment)[0] == 200
    # Nobody changes the evidence of a record in the trash.
    with pytest.raises(PermissionDenied):
        f.attach(session_a, world.office)
    assert client_for(world.office).post(reverse("attachment_remove", args=[attachment.pk])).status_code == 404


# -- frozen records and confidential talks -----------------------------------------------------


def test_evidence_of_an_issued_letter_cannot_be_removed_added_or_restored(world, client_for):
    from portal.trash import RestoreRefused, trash_restore
    from responsibility import services as letters

    letter = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2020)
    office = actor_for(world.office)
    kept = f.attach(letter, world.office, "草稿说明.pdf")
    removed = f.attach(letter, world.office, "旧说明.pdf")
    services.attachment_remove(actor=office, attachment=removed)
    letters.letter_issue(actor=office, letter=letter)
    letter.refresh_from_db()
    assert letter.is_frozen
    c = client_for(world.office)
    response = c.post(reverse("attachment_remove", args=[kept.pk]))
    assert response.status_code == 403 and "已冻结" in response.content.decode()
    assert c.post(add_url(letter), {"files": [f.evidence_file()]}).status_code == 403
    with pytest.raises(PermissionDenied, match="已冻结"):
        services.attachment_add(actor=office, record=letter, upload=f.evidence_file())
    with pytest.raises(RestoreRefused, match="已冻结"):
        trash_restore(actor=office, record=Attachment.all_objects.get(pk=removed.pk))
    page = c.get(reverse("responsibility:letter_detail", args=[letter.pk])).content.decode()
    assert "草稿说明.pdf" in page and "附件不能增删" in page and 'class="attachment-form' not in page
    assert Attachment.objects.get(pk=kept.pk).deleted_at is None
    assert download(c, kept)[0] == 200


def test_the_admin_cannot_change_or_delete_an_attachment(world, client_for, meeting):
    from django.contrib.auth import get_user_model

    attachment = f.attach(meeting, world.office)
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    c = client_for(admin)
    url = reverse("admin:portal_attachment_change", args=[attachment.pk])
    assert c.get(url).status_code == 200  # read-only view
    c.post(url, {"original_name": "换掉.pdf", "note": "x"})
    assert c.post(reverse("admin:portal_attachment_delete", args=[attachment.pk]), {"post": "yes"}).status_code == 403
    first = attachment.history.order_by("history_id").first()
    revert = reverse("admin:portal_attachment_simple_history", args=[attachment.pk, first.history_id])
    assert c.post(revert, {"original_name": "换掉.pdf", "file": "attachments/other.pdf"}).status_code == 403
    assert Attachment.objects.get(pk=attachment.pk).original_name == "签到表.pdf"


def test_talk_evidence_is_as_confidential_as_the_summary(world, client_for):
    from portal.models import Person

    talk = f.TalkFactory(committee=world.committee, talker=Person.objects.get(user=world.leader))
    attachment = f.attach(talk, world.leader, "谈话记录.pdf")
    assert download(client_for(world.leader), attachment)[0] == 200  # the talker
    assert download(client_for(world.office), attachment)[0] == 200
    secretary = client_for(world.branch_secretary)
    assert download(secretary, attachment)[0] == 403
    page = secretary.get(reverse("responsibility:talk_detail", args=[talk.pk])).content.decode()
    assert "谈话记录.pdf" not in page and "附件仅限有权查阅" in page
    visible = selectors.attachments_visible_to(actor_for(world.branch_secretary), [talk])
    assert visible == {}


def test_a_tampered_file_is_not_served(world, client_for, meeting):
    attachment = f.attach(meeting, world.office, "纪要.pdf")
    with open(attachment.file.path, "ab") as handle:
        handle.write(b"changed outside the portal")
    response = client_for(world.office).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 409 and "不一致" in response.content.decode()


# -- the API for other apps ---------------------------------------------------------------------


def test_attachments_of_many_records_is_one_query(world, django_assert_num_queries, meeting, session_a):
    meetings = [meeting] + [f.CommitteeMeetingFactory(committee=world.committee) for _ in range(3)]
    for m in meetings[:3]:
        f.attach(m, world.office, f"{m.pk}.pdf")
        f.attach(m, world.office, f"{m.pk}-2.png")
    f.attach(session_a, world.office, "党日.pdf")
    records = meetings + [session_a]
    selectors.attachments_of(records)  # content types cached
    with django_assert_num_queries(1):
        found = selectors.attachments_of(records)
        names = {r.pk: [a.original_name for a in found[r]] for r in meetings}
        uploaders = {a.created_by.person.name for items in found.values() for a in items}
    assert names[meeting.pk] == [f"{meeting.pk}.pdf", f"{meeting.pk}-2.png"]
    assert names[meetings[3].pk] == []
    assert [a.original_name for a in found[session_a]] == ["党日.pdf"]
    assert uploaders == {world.office.person.name}


def test_the_service_refuses_who_may_not_change_the_record(world, meeting):
    with pytest.raises(PermissionDenied):
        f.attach(meeting, world.leader)
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        f.attach(meeting, world.office, "x.exe", b"MZ")
    assert not Attachment.all_objects.exists()


# -- query counts -------------------------------------------------------------------------------


def test_detail_page_queries_stay_flat_with_many_attachments(world, client_for, meeting, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(world.office)
    url = reverse("responsibility:meeting_detail", args=[meeting.pk])
    f.attach(meeting, world.office, "1.pdf")
    c.get(url)
    with CaptureQueriesContext(connection) as one:
        assert c.get(url).status_code == 200
    for i in range(20):
        f.attach(meeting, world.office, f"{i}.pdf")
    other = f.person_with_user(world.committee, "office2", role="office", branch=world.branch)
    f.attach(meeting, other, "另一人上传.pdf")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = c.get(url).content.decode()
    assert page.count('class="attachment-row"') == 22


def _record_prefixes():
    from tests.security.test_permission_matrix import RECORDS

    return sorted(RECORDS)


@pytest.mark.parametrize("prefix", _record_prefixes())
def test_every_record_page_has_the_attachment_section(prefix, world, client_for):
    """The generic detail page and those of their own (activity, channel, role
    model, letter) all show it; the office, writer of every type, gets the form."""
    from tests.security.test_permission_matrix import RECORDS

    record = RECORDS[prefix].make(world, 0)
    f.attach(record, world.office, "佐证.pdf")
    page = client_for(world.office).get(reverse(f"{prefix}_detail", args=[record.pk])).content.decode()
    assert 'id="attachments"' in page and "佐证.pdf" in page
    assert 'class="attachment-form' in page
