"""Form helpers shared by the apps' views."""

from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError back onto the form: at the field it names, or at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
