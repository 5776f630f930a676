import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from workflow.models import (
    Assessment,
    DeliveryTeamMember,
    DeliveryTeamRole,
    Department,
    PanelMember,
    PanelRole,
    Phase,
    Service,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.uk")
    password = factory.django.Password("correct-horse-battery-staple")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*(Group.objects.get(name=name) for name in names))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    department = factory.SubFactory(DepartmentFactory)
    description = "Lets people do a thing."
    users = "People who need the thing."


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    service = factory.SubFactory(ServiceFactory)
    phase = Phase.ALPHA
    date = datetime.date(2026, 10, 1)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    assessment = factory.SubFactory(AssessmentFactory)
    user = factory.SubFactory(UserFactory)
    role = PanelRole.LEAD


class DeliveryTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryTeamMember

    service = factory.SubFactory(ServiceFactory)
    user = factory.SubFactory(UserFactory)
    role = DeliveryTeamRole.PRODUCT_MANAGER
