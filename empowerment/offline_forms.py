"""The HTTP side of forms that a phone may send from its drafts: the JSON answer mode and the sending key.

A draft is sent with `Accept: application/json` (or `X-Requested-With: fetch`); the form's view then answers
{ok, errors: {field: [messages]}, redirect} instead of a page, so the phone can keep a refused draft with
the server's messages at their fields. Online forms posted by the browser are answered as before."""

from django.http import JsonResponse

from empowerment.submissions import parse_key

KEY_FIELD = "idempotency_key"
# On a signed-in person's answer: the service worker may keep this page for that person (and only then).
OFFLINE_HEADER = "X-Offline-Cache"


def offline_page(response, request):
    """Mark a signed-in person's page as one the worker may keep for them (in their own cache)."""
    if request.user.is_authenticated and request.method == "GET" and response.status_code == 200:
        response[OFFLINE_HEADER] = str(request.user.pk)
    return response


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or (
        request.headers.get("X-Requested-With") == "fetch"
    )


def sending_key(request):
    """The draft's key from the hidden field or the Idempotency-Key header (ValidationError if damaged)."""
    return parse_key(request.POST.get(KEY_FIELD) or request.headers.get("Idempotency-Key"))


def form_errors(*forms_or_formsets, extra: dict | None = None) -> dict[str, list[str]]:
    """Every error of the forms and formsets by the posted field name; "__all__" for the form-wide ones."""
    errors: dict[str, list[str]] = {}

    def add(name, messages):
        errors.setdefault(name, []).extend(str(m) for m in messages)

    for item in forms_or_formsets:
        if item is None:
            continue
        if hasattr(item, "forms"):  # a formset
            if item.is_bound:
                add_all = list(item.non_form_errors())
                if add_all:
                    add("__all__", add_all)
                for form in item.forms:
                    for name, messages in form.errors.items():
                        add("__all__" if name == "__all__" else form.add_prefix(name), messages)
            continue
        for name, messages in item.errors.items():
            add(name, messages)
    for name, messages in (extra or {}).items():
        add(name, messages)
    return errors


def refused(errors: dict[str, list[str]], *, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": errors, "redirect": ""}, status=status)


def done(redirect: str, *, repeated: bool = False) -> JsonResponse:
    return JsonResponse({"ok": True, "errors": {}, "redirect": redirect, "repeated": repeated})
