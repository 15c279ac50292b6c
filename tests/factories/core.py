import re

import factory
from django.contrib.auth.models import Group

from empowerment.models import User
from organizations import credit_code
from organizations.models import Area, Membership, Organization, Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )
            obj.save()


def staff_user(group_name: str, **kwargs) -> User:
    """A foundation staff member in one of the staff groups (created by the migration)."""
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["code"]

    code = "150200"
    name = "包头市"
    name_en = "Baotou"
    level = Area.Level.CITY
    parent = None


def community_area() -> Area:
    city = AreaFactory()
    county = AreaFactory(code="150203", name="昆都仑区", name_en="Kundulun District", level=2, parent=city)
    town = AreaFactory(code="150203001", name="少先路街道", name_en="Shaoxian Road", level=3, parent=county)
    return AreaFactory(
        code="150203001001", name="团结社区", name_en="Tuanjie Community", level=4, parent=town
    )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试社会工作服务中心{n}")
    name_en = factory.Sequence(lambda n: f"Test Social Work Centre {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    legal_form = "social_service"
    credit_code = factory.LazyFunction(lambda: credit_code.generate("52", "150203"))
    area = factory.LazyFunction(community_area)
    status = Organization.Status.ACTIVE
    # A published profile (the organization's own description): listed in the public directory.
    description = "Home visits and health checks for older residents living alone."

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # `name` is stored in both languages (organizations/translation.py): a name written in Chinese is
        # the Chinese name, any other the English one.
        name = kwargs.pop("name")
        kwargs["name_zh_hans" if re.search(r"[\u3400-\u9fff]", name) else "name_en"] = name
        return kwargs


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR


def member(organization: Organization, role: str = Role.EDITOR, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    MembershipFactory(organization=organization, user=user, role=role)
    return user
