from django.conf import settings

from empowerment.authz import is_staff_member


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "is_staff_member": bool(user and is_staff_member(user)),
    }
