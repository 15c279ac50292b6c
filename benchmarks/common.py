"""Shared helpers of the benchmark scripts."""


def finance_user():
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    users = get_user_model().objects
    return users.filter(email="finance@demo.example").first() or users.filter(is_superuser=True).first()
