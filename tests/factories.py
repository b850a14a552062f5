import datetime

import factory
from django.contrib.auth.models import Group

from awards.models import AwardGrant, AwardType, Initiative, TaskRating
from campaigns.models import Campaign, Indicator, Objective, Participation, ReportingPeriod
from units.models import EmulationBloc, Membership, Person, Unit, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.vn")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmulationBloc
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"bloc-{n}")
    name = factory.Sequence(lambda n: f"Khối {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = Unit.Kind.AGENCY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.OFFICER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    code = factory.Sequence(lambda n: f"person-{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    unit = factory.SubFactory(UnitFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    code = factory.Sequence(lambda n: f"campaign-{n}")
    title = factory.Sequence(lambda n: f"Phong trào thi đua {n}")
    launched_on = datetime.date(2021, 8, 30)
    launched_by = factory.SubFactory(UnitFactory, kind=Unit.Kind.MINISTRY)
    starts_on = datetime.date(2021, 7, 1)
    ends_on = datetime.date(2026, 12, 31)
    status = Campaign.Status.ACTIVE


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    text = "Nội dung nhiệm vụ."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"ind-{n}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    measure = "%"
    kind = Indicator.Kind.PERCENT


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    campaign = factory.SubFactory(CampaignFactory)
    label = "Q1/2025"
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2025, 3, 31)
    due_on = datetime.date(2025, 4, 15)
    locks_on = datetime.date(2025, 5, 15)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)


# --- Commendations -----------------------------------------------------------------------


class TaskRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskRating

    person = factory.SubFactory(PersonFactory)
    unit = None
    year = 2024
    rating = TaskRating.Rating.GOOD


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Sáng kiến {n}")
    scope = Initiative.Scope.BASE
    recognised_on = datetime.date(2024, 6, 1)
    person = factory.SubFactory(PersonFactory)
    unit = None


class AwardGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardGrant

    person = factory.SubFactory(PersonFactory)
    unit = None
    year = 2024
    award_type = factory.LazyFunction(lambda: AwardType.objects.get(code="CSTDCS"))
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-XNK")
    issuer = "Cục trưởng"
