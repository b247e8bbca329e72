"""factory_boy factories for every model; records default to one committee."""

import datetime

import factory
from django.contrib.auth import get_user_model

from portal.models import Branch, Committee, Department, Person

PASSWORD = "pass-1234-word"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"committee-{n}")
    name = factory.Sequence(lambda n: f"第{n}局党委")
    short_name = "局党委"
    unit_name = factory.Sequence(lambda n: f"第{n}局机关")
    superiors = "省中心党委和水务局党组"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    committee = factory.SubFactory(CommitteeFactory)


class BranchFactory(RecordFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"第{n}党支部")


class PersonFactory(RecordFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")
    title = "科员"
    branch = factory.LazyAttribute(lambda o: BranchFactory(committee=o.committee))


class DepartmentFactory(RecordFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"科室{n}")
    kind = Department.Kind.OFFICE
    branch = factory.LazyAttribute(lambda o: BranchFactory(committee=o.committee))


def person_with_user(committee, username, *, role="member", branch=None, **person_kwargs):
    """A login user linked to a person of the committee; returns the user."""
    user = UserFactory(username=username)
    PersonFactory(
        committee=committee,
        name=person_kwargs.pop("name", username),
        role=role,
        branch=branch,
        user=user,
        **person_kwargs,
    )
    return user


def a_date(year=2020, month=6, day=15):
    return datetime.date(year, month, day)


# --- study ---
from study.models import MaterialHandout, StudyAppStat, StudySession  # noqa: E402


class StudySessionFactory(RecordFactory):
    class Meta:
        model = StudySession

    date = factory.LazyFunction(a_date)
    kind = StudySession.Kind.CENTRAL_GROUP
    branch = None
    theme = factory.Sequence(lambda n: f"学习主题{n}")
    is_ideology = False
    headcount = 10


class StudyAppStatFactory(RecordFactory):
    class Meta:
        model = StudyAppStat

    month = factory.Sequence(lambda n: datetime.date(2020, n % 12 + 1, 1))
    branch = None
    activity_rate = 100
    avg_score = 45


class MaterialHandoutFactory(RecordFactory):
    class Meta:
        model = MaterialHandout

    date = factory.LazyFunction(a_date)
    title = factory.Sequence(lambda n: f"《学习读本{n}》")
    scope = MaterialHandout.Scope.MEMBER
    quantity = 10


# --- publicity ---
from publicity.models import (  # noqa: E402
    Activity,
    Article,
    Channel,
    ChannelCheck,
    InternalBulletin,
    RoleModel,
)


class ArticleFactory(RecordFactory):
    class Meta:
        model = Article

    date = factory.LazyFunction(a_date)
    title = factory.Sequence(lambda n: f"稿件{n}")
    outlet = "中国水利报"
    level = Article.Level.PROVINCIAL
    author = "作者"


class InternalBulletinFactory(RecordFactory):
    class Meta:
        model = InternalBulletin

    series = "《形势分析报告》"
    issue_no = factory.Sequence(lambda n: f"第{n + 1}期")
    date = factory.LazyFunction(a_date)
    title = factory.Sequence(lambda n: f"形势分析{n}")


class ChannelFactory(RecordFactory):
    class Meta:
        model = Channel

    kind = Channel.Kind.BOARD
    name = factory.Sequence(lambda n: f"宣传栏{n}")
    location = "办公大楼一层"


class ChannelCheckFactory(RecordFactory):
    class Meta:
        model = ChannelCheck

    channel = factory.SubFactory(ChannelFactory, committee=factory.SelfAttribute("..committee"))
    date = factory.LazyFunction(a_date)
    findings = "内容健康，无违规信息"


class RoleModelFactory(RecordFactory):
    class Meta:
        model = RoleModel

    year = 2020
    person = factory.LazyAttribute(lambda o: PersonFactory(committee=o.committee))
    honour = "勤廉兼优"
    story = "事迹"


class ActivityFactory(RecordFactory):
    class Meta:
        model = Activity

    date = factory.LazyFunction(a_date)
    kind = Activity.Kind.FESTIVAL
    title = factory.Sequence(lambda n: f"活动{n}")
    place = "局机关"
    participants = 30


# --- responsibility ---
from responsibility.models import (  # noqa: E402
    Assignment,
    CommitteeMeeting,
    Inspection,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)


class AssignmentFactory(RecordFactory):
    class Meta:
        model = Assignment

    year = 2020
    person = factory.LazyAttribute(lambda o: PersonFactory(committee=o.committee))
    kind = Assignment.Kind.DUAL
    scope = "分管科室"


def appoint_signers(committee, year, *, first, branches) -> list:
    """The year's letter signers in 责任分工, recorded by nobody in particular (as a seed
    would): ``first`` (a user) countersigns; ``branches`` maps each branch to the user
    who signs for it."""
    rows = [AssignmentFactory(committee=committee, year=year, person=first.person, kind=Assignment.Kind.FIRST)]
    for branch, user in branches.items():
        rows.append(
            AssignmentFactory(committee=committee, year=year, person=user.person, kind=Assignment.Kind.BRANCH, branch=branch)
        )
    return rows


class WorkDocumentFactory(RecordFactory):
    class Meta:
        model = WorkDocument

    date = factory.LazyFunction(a_date)
    kind = WorkDocument.Kind.PLAN
    title = factory.Sequence(lambda n: f"意识形态工作方案{n}")


class CommitteeMeetingFactory(RecordFactory):
    class Meta:
        model = CommitteeMeeting

    date = factory.LazyFunction(a_date)
    title = factory.Sequence(lambda n: f"党委会{n}")
    is_ideology = False


class MonthlyTaskFactory(RecordFactory):
    class Meta:
        model = MonthlyTask

    month = factory.LazyFunction(lambda: a_date(day=1))
    task = factory.Sequence(lambda n: f"任务{n}")
    branch = None
    is_ideology = True


class InspectionFactory(RecordFactory):
    class Meta:
        model = Inspection

    date = factory.LazyFunction(a_date)
    form = Inspection.Form.MEETING
    findings = "发现问题"


class TalkFactory(RecordFactory):
    """``talker`` defaults to a committee member of the same committee."""

    class Meta:
        model = Talk

    date = factory.LazyFunction(a_date)
    talker = factory.LazyAttribute(lambda o: PersonFactory(committee=o.committee, is_committee_member=True))
    talkee = factory.LazyAttribute(lambda o: PersonFactory(committee=o.committee))
    kind = "谈心谈话"
    summary = "保密的谈话要点"


class TrendAnalysisFactory(RecordFactory):
    class Meta:
        model = TrendAnalysis

    branch = factory.LazyAttribute(lambda o: BranchFactory(committee=o.committee))
    year = 2020
    quarter = 1
    date = factory.LazyAttribute(lambda o: datetime.date(o.year, o.quarter * 3, 20))
    topic = "思想动态分析"


class ResponsibilityLetterFactory(RecordFactory):
    """A draft letter; issue/sign it through responsibility.services."""

    class Meta:
        model = ResponsibilityLetter

    branch = factory.LazyAttribute(lambda o: BranchFactory(committee=o.committee))
    year = 2020
    title = factory.LazyAttribute(lambda o: f"{o.year}年度意识形态工作责任书（{o.branch.name}）")
    body = "责任书正文"


# --- reports ---
from reports.models import AnnualReport, ReportBuild  # noqa: E402


class AnnualReportFactory(RecordFactory):
    class Meta:
        model = AnnualReport
        django_get_or_create = ("committee", "year")

    year = 2020
    status = AnnualReport.Status.DRAFT


class ReportBuildFactory(factory.django.DjangoModelFactory):
    """A queued build; run it with ``reports.services.build_run(build_id=...)``."""

    class Meta:
        model = ReportBuild

    report = factory.SubFactory(AnnualReportFactory)


# --- attachments (evidence files that pass the checks of portal.attachments.uploads) ---


def png_bytes(size=(8, 8), fmt="PNG") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def docx_bytes(body: bytes = b"<w:document/>") -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    return out.getvalue()


def evidence_file(name: str = "签到表.pdf", content: bytes | None = None):
    """An upload as a browser sends it; by default a small valid file of the name's type."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if content is None:
        suffix = name.rsplit(".", 1)[-1].lower()
        content = {"png": png_bytes, "jpg": lambda: png_bytes(fmt="JPEG"), "docx": docx_bytes}.get(
            suffix, lambda: b"%PDF-1.4 evidence " + name.encode()
        )()
    return SimpleUploadedFile(name, content)


def attach(record, user, name: str = "签到表.pdf", content: bytes | None = None, note: str = ""):
    """An attachment on ``record`` added by ``user`` through the service."""
    from portal.access import actor_for
    from portal.attachments.services import attachment_add

    return attachment_add(actor=actor_for(user), record=record, upload=evidence_file(name, content), note=note)


def give_email(*users) -> None:
    """Each user's person gets the address ``<username>@example.invalid`` (notification e-mails)."""
    for user in users:
        Person.objects.filter(user=user).update(email=f"{user.username}@example.invalid")
