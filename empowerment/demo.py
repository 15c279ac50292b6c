"""Demo accounts for the embedded default. Every demo account has the same password, printed by
`manage.py seed_demo`."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from empowerment.authz import ADMINISTRATOR, FINANCE_OFFICER, PROGRAMME_OFFICER, TRAINER

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never used in production

STAFF_ACCOUNTS = [
    ("admin@demo.example", "Administrator Demo", ADMINISTRATOR, True),
    ("officer@demo.example", "Wang Li (programme officer)", PROGRAMME_OFFICER, False),
    ("finance@demo.example", "Zhao Min (finance officer)", FINANCE_OFFICER, False),
    ("trainer@demo.example", "Li Hua (trainer)", TRAINER, False),
]


@dataclass
class DemoContext:
    """Passed to each app's demo seeder; `accounts` collects (email, description) to print."""

    stdout: object
    password_hash: str = field(default_factory=lambda: make_password(DEMO_PASSWORD))
    accounts: list[tuple[str, str]] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def user(self, email: str, full_name: str, **extra):
        """Get or create a demo user (with a verified address) without changing an existing one."""
        from allauth.account.models import EmailAddress  # noqa: PLC0415

        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": full_name, "password": self.password_hash, **extra}
        )
        if created:
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        return user


def seed(ctx: DemoContext) -> None:
    for email, name, group, superuser in STAFF_ACCOUNTS:
        user = ctx.user(email, name, is_staff=True, is_superuser=superuser)
        user.groups.add(Group.objects.get(name=group))
        ctx.accounts.append((email, group))
