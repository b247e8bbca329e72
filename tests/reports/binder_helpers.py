"""Shared data and readers of the binder tests (tests/reports/test_binder*.py)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from pypdf import PdfReader

from tests import factories as f

INDEX = "目录.pdf"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def index_text(zf: zipfile.ZipFile) -> str:
    """The index PDF's text with whitespace removed (table cells wrap long paths)."""
    reader = PdfReader(io.BytesIO(zf.read(INDEX)))
    return squash("".join(page.extract_text() for page in reader.pages))


@dataclass
class Evidence:
    meetings: list  # ideology meetings of 2020 (a figure's records)
    sessions: list  # central-group sessions of 2020
    attachments: list  # every attachment a binder must hold
    talk: object  # a talk with an attachment that must stay out (confidential type)
    talk_attachment: object
    decoys: list  # attachments of records outside the year or the committee


def make_evidence(world) -> Evidence:
    d = datetime.date
    c = world.committee
    meetings = [f.CommitteeMeetingFactory(committee=c, date=d(2020, 3, 5), is_ideology=True, title="研究意识形态工作专题会"),
                f.CommitteeMeetingFactory(committee=c, date=d(2020, 9, 8), is_ideology=True, title="意识形态形势分析会")]
    sessions = [f.StudySessionFactory(committee=c, date=d(2020, 4, 2), kind="central_group", theme="中心组学习：党的创新理论")]
    attachments = [
        f.attach(meetings[0], world.office, "会议纪要.pdf"),
        f.attach(meetings[0], world.office, "签到表.png"),
        f.attach(meetings[1], world.office, "会议纪要.pdf", content=b"%PDF-1.4 another minute"),  # same name, other file
        f.attach(sessions[0], world.office, "学习记录/第1期.pdf"),  # a separator in the name
    ]
    leader = world.leader.person
    talk = f.TalkFactory(committee=c, talker=leader, date=d(2020, 5, 6))
    talk_attachment = f.attach(talk, world.office, "谈话记录.pdf")
    old = f.CommitteeMeetingFactory(committee=c, date=d(2019, 12, 31), is_ideology=True)
    other = f.CommitteeMeetingFactory(committee=world.other_committee, date=d(2020, 6, 1), is_ideology=True)
    decoys = [f.attach(old, world.office, "去年纪要.pdf"), f.attach(other, world.outsider, "他局纪要.pdf")]
    return Evidence(meetings, sessions, attachments, talk, talk_attachment, decoys)
