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
