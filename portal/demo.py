"""The demo bureau's organisation (the unit of reference/sample-report.txt).

Names the sample masks with ``**`` are written as ``××``. Every function here
is idempotent: running the seed twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from .models import Branch, Committee, Department, Person, Role

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo1234"

BRANCHES = ["机关第一党支部", "机关第二党支部", "基层测站党支部"]

# (name, title, branch index or None, committee member, secretary, role, login)
PEOPLE = [
    ("张建国", "党委书记、局长", 0, True, True, Role.LEADER, "leader"),
    ("李卫东", "党委副书记（分管意识形态工作）", 0, True, False, Role.LEADER, "deputy"),
    ("王志强", "党委委员、副局长", 1, True, False, Role.MEMBER, None),
    ("刘红梅", "党委委员、纪委书记", 1, True, False, Role.MEMBER, None),
    ("陈明", "党委委员、副局长", 2, True, False, Role.MEMBER, None),
    ("赵敏", "党委办公室主任", 0, False, False, Role.OFFICE, "office"),
    ("孙丽", "机关第一党支部书记", 0, False, False, Role.BRANCH_SECRETARY, "branch1"),
    ("周涛", "机关第二党支部书记", 1, False, False, Role.BRANCH_SECRETARY, "branch2"),
    ("吴刚", "基层测站党支部书记", 2, False, False, Role.BRANCH_SECRETARY, "branch3"),
    ("郑华", "办公室科员", 0, False, False, Role.MEMBER, None),
    ("钱程", "水情科科长", 0, False, False, Role.MEMBER, None),
    ("冯洁", "水情科科员", 0, False, False, Role.MEMBER, None),
    ("何平", "水资源科科长", 1, False, False, Role.MEMBER, None),
    ("许静", "水资源科科员", 1, False, False, Role.MEMBER, None),
    ("韩磊", "站网科科长", 1, False, False, Role.MEMBER, None),
    ("杨帆", "××水文站站长", 2, False, False, Role.MEMBER, None),
    ("朱琳", "××水文站职工", 2, False, False, Role.MEMBER, None),
    ("秦峰", "××水位站站长", 2, False, False, Role.MEMBER, None),
    ("曹雪", "××水位站职工", 2, False, False, Role.MEMBER, None),
    ("蒋勇", "财务科科长", 1, False, False, Role.MEMBER, None),
]

# (name, kind, branch index, head name)
DEPARTMENTS = [
    ("办公室", Department.Kind.OFFICE, 0, "赵敏"),
    ("水情科", Department.Kind.OFFICE, 0, "钱程"),
    ("水资源科", Department.Kind.OFFICE, 1, "何平"),
    ("站网科", Department.Kind.OFFICE, 1, "韩磊"),
    ("财务科", Department.Kind.OFFICE, 1, "蒋勇"),
    ("××水文站", Department.Kind.STATION, 2, "杨帆"),
    ("××水位站", Department.Kind.STATION, 2, "秦峰"),
]

BRANCH_SECRETARIES = {0: "孙丽", 1: "周涛", 2: "吴刚"}


@dataclass
class DemoOrg:
    committee: Committee
    branches: list[Branch]
    people: dict[str, Person]
    users: dict[str, object] = field(default_factory=dict)  # every demo login, other committees' too
    password: str = DEMO_PASSWORD

    @property
    def secretary(self) -> Person:
        return self.people["张建国"]

    @property
    def deputy(self) -> Person:
        return self.people["李卫东"]

    @property
    def committee_members(self) -> list[Person]:
        return [p for p in self.people.values() if p.is_committee_member]

    @property
    def office_user(self):
        return self.users["office"]


def demo_user(login: str, name: str, password: str):
    """The demo login, created with ``password``; an existing one keeps its own."""
    user, created = get_user_model().objects.get_or_create(username=login, defaults={"first_name": name})
    if created:
        user.set_password(password)
        user.save()
    return user


def seed_organisation(password: str = DEMO_PASSWORD) -> DemoOrg:
    committee, _ = Committee.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "××市水文水资源勘测局党委",
            "short_name": "局党委",
            "unit_name": "局机关",
            "superiors": "省中心党委和水务局党组",
        },
    )
    branches = [
        Branch.objects.get_or_create(committee=committee, name=name)[0] for name in BRANCHES
    ]
    people: dict[str, Person] = {}
    users: dict[str, object] = {}
    for name, title, branch_index, member, secretary, role, login in PEOPLE:
        person, _ = Person.objects.get_or_create(
            committee=committee,
            name=name,
            defaults={
                "title": title,
                "branch": branches[branch_index] if branch_index is not None else None,
                "is_committee_member": member,
                "is_secretary": secretary,
                "role": role,
                "email": f"{login}@demo.invalid" if login else "",
            },
        )
        if login:
            user = demo_user(login, name, password)
            if person.user_id != user.pk:
                person.user = user
                person.save(update_fields=["user"])
            users[login] = user
        people[name] = person
    for index, secretary_name in BRANCH_SECRETARIES.items():
        branch = branches[index]
        if branch.secretary_id != people[secretary_name].pk:
            branch.secretary = people[secretary_name]
            branch.member_count = sum(1 for p in people.values() if p.branch_id == branch.pk)
            branch.save()
    for name, kind, branch_index, head in DEPARTMENTS:
        Department.objects.get_or_create(
            committee=committee, name=name, defaults={"kind": kind, "branch": branches[branch_index], "head": people[head]}
        )
    return DemoOrg(committee=committee, branches=branches, people=people, users=users, password=password)
