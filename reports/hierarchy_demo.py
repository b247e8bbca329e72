"""The demo bureau's superior committee and two sibling bureaus (ASSESSMENT.md).

After the demo bureau (slug ``demo``) exists: the provincial centre
(``province``) with an office user and an assessor, set as the parent of the
demo bureau and of two small city bureaus (``city-b``, ``city-c``), each with
its branches, people, an office user and a year of generated records (the
volume generator of the report benchmark, once). The demo bureau's own records
are untouched, so its report still reproduces reference/sample-report.txt.

It lives in ``reports`` because the generator writes every record app's rows.
Idempotent: a bureau that exists is not generated again, users keep their
password, and an unchanged parent is not set (and logged) again.
"""

from __future__ import annotations

from portal.demo import demo_user
from portal.models import Committee, Person, Role
from portal.services import committee_set_parent

from .volume import seed_volume

YEAR = 2020

PROVINCE = {
    "slug": "province",
    "name": "××省水文水资源勘测中心党委",
    "short_name": "省中心党委",
    "unit_name": "省中心机关",
    "superiors": "省水利厅党组",
}

# (login, name, title, role) of the provincial centre
PROVINCE_PEOPLE = [
    ("province", "高远", "省中心党委办公室主任", Role.OFFICE),
    ("assessor", "林青", "省中心意识形态工作考核组成员", Role.ASSESSOR),
]

# (slug, committee name, unit name, office login, office person's name)
BUREAUS = [
    ("city-b", "××乙市水文局党委", "乙市水文局机关", "b-office", "马骏"),
    ("city-c", "××丙市水文局党委", "丙市水文局机关", "c-office", "罗欣"),
]


def seed(org) -> None:
    province, _ = Committee.objects.get_or_create(slug=PROVINCE["slug"], defaults=PROVINCE)
    for login, name, title, role in PROVINCE_PEOPLE:
        org.users[login] = _login(province, login, name, title, role, org.password)
    children = [org.committee]
    for slug, name, unit_name, login, person_name in BUREAUS:
        bureau = Committee.objects.filter(slug=slug).first() or seed_volume(
            slug, 1, YEAR, name=name, unit_name=unit_name
        )
        org.users[login] = _login(bureau, login, person_name, "党委办公室主任", Role.OFFICE, org.password)
        children.append(bureau)
    for child in children:
        if child.parent_id != province.pk:
            committee_set_parent(committee=child, parent=province)


def _login(committee: Committee, login: str, name: str, title: str, role: str, password: str):
    user = demo_user(login, name, password)
    Person.objects.get_or_create(
        committee=committee, user=user,
        defaults={"name": name, "title": title, "role": role, "email": f"{login}@demo.invalid"},
    )
    return user
