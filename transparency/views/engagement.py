"""Public questions and concerns about a project or campaign, and following one by email."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from empowerment import ratelimit

from .. import selectors, services
from ..forms import FollowForm, QuestionForm, form_stamp

TARGETS = {"project": "project_detail", "campaign": "campaign_detail"}


def _target(kind: str, slug: str):
    if kind == "project":
        target = selectors.public_project(slug)
    elif kind == "campaign":
        target = selectors.public_campaign(slug)
    else:
        target = None
    if target is None:
        raise Http404
    return target


def _client(request) -> str:
    return ratelimit.client_address(request)


def _rerender(request, kind, target, *, question_form=None, follow_form=None):
    """Show the form's errors on a simple page (the target page itself is rebuilt on the next GET)."""
    return render(
        request,
        "transparency/engagement_errors.html",
        {
            "target": target,
            "target_kind": kind,
            "back": reverse(f"transparency:{TARGETS[kind]}", args=[target.slug]),
            "question_form": question_form,
            "follow_form": follow_form,
            "fresh_stamp": form_stamp(),
        },
        status=400,
    )


@require_POST
def ask(request, kind, slug):
    target = _target(kind, slug)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("kind", "name", "email", "body")}
        try:
            services.question_ask(data=data, client=_client(request), **{kind: target})
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 429 if getattr(exc, "code", "") == "rate" else 400
            response = _rerender(request, kind, target, question_form=form)
            response.status_code = status
            return response
        messages.success(request, _("Thank you. Staff will answer you by email."))
        return redirect(reverse(f"transparency:{TARGETS[kind]}", args=[target.slug]) + "#questions")
    return _rerender(request, kind, target, question_form=form)


@require_POST
def follow(request, kind, slug):
    target = _target(kind, slug)
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            services.follow_request(
                email=form.cleaned_data["email"],
                client=_client(request),
                base_url=request.build_absolute_uri("/"),
                language=get_language() or "en",
                **{kind: target},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            response = _rerender(request, kind, target, follow_form=form)
            response.status_code = 429 if getattr(exc, "code", "") == "rate" else 400
            return response
        messages.success(request, _("Please confirm with the link we have emailed to you."))
        return redirect(reverse(f"transparency:{TARGETS[kind]}", args=[target.slug]) + "#follow")
    return _rerender(request, kind, target, follow_form=form)


@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """GET shows a button (mail scanners that open links confirm nothing); POST confirms."""
    from ..models import Follower  # noqa: PLC0415

    follower = Follower.objects.filter(token=token[:64]).select_related("project", "campaign").first()
    if follower is None:
        return render(request, "transparency/follow_unknown.html", status=404)
    if request.method == "POST":
        follower = services.follow_confirm(token=follower.token)
        return render(request, "transparency/follow_done.html", {"follower": follower, "confirmed": True})
    return render(request, "transparency/follow_confirm.html", {"follower": follower})


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client; the token is the credential
@require_http_methods(["GET", "POST"])
def unfollow(request, token):
    from ..models import Follower  # noqa: PLC0415

    follower = Follower.objects.filter(token=token[:64]).select_related("project", "campaign").first()
    if follower is None:
        return render(request, "transparency/follow_unknown.html", status=404)
    if request.method == "POST":
        follower = services.unfollow(token=follower.token)
        return render(request, "transparency/follow_done.html", {"follower": follower, "confirmed": False})
    return render(request, "transparency/unfollow.html", {"follower": follower})
