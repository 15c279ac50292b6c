"""Cohort set-up on staff screens: the cohort itself, its sessions, and its participants (one by one,
from an organization's members, or from a spreadsheet), moved or withdrawn with their history kept."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from empowerment.authz import staff_view
from empowerment.forms import add_service_errors
from organizations.models import Organization

from . import enrolment_services, imports, selectors, services
from .models import Cohort, Enrolment, Session
from .participant_forms import ParticipantForm
from .staff_forms import (
    CohortForm,
    EnrolOneForm,
    ImportForm,
    MembersForm,
    MoveForm,
    SessionForm,
    WithdrawForm,
)

IMPORT_MAX_AGE = 3600  # seconds a previewed spreadsheet may wait for its confirmation


def _save_cohort(request, form, cohort=None):
    data = dict(form.cleaned_data)
    organizations = data.pop("organizations")
    modules = data.pop("modules")
    try:
        return services.cohort_save(
            by=request.user, cohort=cohort, organizations=organizations, modules=modules, **data
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@staff_view("trainings.run_training")
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = _save_cohort(request, form)
        if cohort is not None:
            messages.success(
                request, _("The cohort was created. Schedule its sessions and enrol participants.")
            )
            return redirect("trainings:cohort_dashboard", pk=cohort.pk)
    return render(
        request,
        "trainings/staff/cohort_form.html",
        {"form": form, "cohort": None},
        status=400 if request.method == "POST" else 200,
    )


@staff_view("trainings.run_training")
@require_http_methods(["GET", "POST"])
def cohort_edit(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    form = CohortForm(request.POST or None, instance=Cohort.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        if _save_cohort(request, form, cohort) is not None:
            messages.success(request, _("The cohort was saved."))
            return redirect("trainings:cohort_dashboard", pk=cohort.pk)
    return render(
        request,
        "trainings/staff/cohort_form.html",
        {"form": form, "cohort": cohort},
        status=400 if request.method == "POST" else 200,
    )


def _session_initial(session: Session) -> dict:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "module": session.module_id,
        "title": session.title,
        "day": start.date(),
        "start": start.time(),
        "end": end.time(),
        "venue": session.venue,
        "online_url": session.online_url,
        "trainers": list(session.trainers.values_list("pk", flat=True)),
    }


@staff_view("trainings.run_training")
@require_http_methods(["GET", "POST"])
def session_form(request, pk, creating=False):
    """Schedule a session of the cohort `pk` (creating) or change the session `pk`: one form, one page."""
    if creating:
        cohort, session = get_object_or_404(Cohort, pk=pk), None
    else:
        session = get_object_or_404(Session.objects.select_related("cohort"), pk=pk)
        cohort = session.cohort
    form = SessionForm(
        request.POST or None,
        initial=_session_initial(session) if session else None,
        cohort=cohort,
        trainers=selectors.trainer_choices(),
    )
    if request.method == "POST" and form.is_valid():
        fields = {"by": request.user, "trainers": form.cleaned_data["trainers"], **form.session_fields()}
        try:
            if session is None:
                services.session_schedule(cohort=cohort, **fields)
            else:
                services.session_update(session=session, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The session was scheduled.") if session is None else _("The session was saved.")
            )
            return redirect("trainings:cohort_dashboard", pk=cohort.pk)
    return render(
        request,
        "trainings/staff/session_form.html",
        {"form": form, "cohort": cohort, "session": session},
        status=400 if request.method == "POST" else 200,
    )


@staff_view("trainings.run_training")
@require_http_methods(["GET", "POST"])
def cohort_participants(request, pk):
    """The participants of a cohort, with the form to enrol one person."""
    cohort = get_object_or_404(Cohort, pk=pk)
    form = EnrolOneForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.participant_enrol(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was enrolled.") % {"name": enrolment.participant})
            return redirect("trainings:cohort_participants", pk=cohort.pk)
    return render(
        request,
        "trainings/staff/cohort_participants.html",
        {
            "cohort": cohort,
            "form": form,
            "enrolments": selectors.cohort_enrolments(cohort),
            "organizations": cohort.organizations.order_by("name"),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view("trainings.run_training")
@require_http_methods(["GET", "POST"])
def enrol_members(request, pk, org_pk):
    """Tick members of one organization's portal account to enrol them."""
    cohort = get_object_or_404(Cohort, pk=pk)
    organization = get_object_or_404(Organization, pk=org_pk, cohorts=cohort)
    members = selectors.cohort_members_to_enrol(cohort, organization)
    form = MembersForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["members"]}
        users = [user for user, _enrolled in members if user.pk in chosen]
        try:
            enrolments = services.members_enrol(
                cohort=cohort, organization=organization, users=users, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)d members were enrolled.") % {"n": len(enrolments)})
            return redirect("trainings:cohort_participants", pk=cohort.pk)
    return render(
        request,
        "trainings/staff/enrol_members.html",
        {"cohort": cohort, "org": organization, "members": members, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _signer(request, cohort) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"trainings.import.{cohort.pk}.{request.user.pk}")


@staff_view("trainings.run_training")
@require_http_methods(["GET", "POST"])
def enrol_import(request, pk):
    """Upload a spreadsheet, see every row with its problems, then confirm: all rows or none."""
    cohort = get_object_or_404(Cohort, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    rows, errors, payload, status = None, {}, "", 200
    if request.method == "POST" and "payload" in request.POST:
        try:
            rows = _signer(request, cohort).unsign_object(request.POST["payload"], max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("trainings:enrol_import", pk=cohort.pk)
        try:
            enrolments = services.enrolment_import(cohort=cohort, rows=rows, by=request.user)
        except ValidationError as exc:
            errors = services.enrolment_import_check(cohort=cohort, rows=rows)
            form = ImportForm()
            add_service_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("%(n)d participants were enrolled.") % {"n": len(enrolments)})
            return redirect("trainings:cohort_participants", pk=cohort.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            rows = imports.read_rows(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
            status = 400
        else:
            errors = services.enrolment_import_check(cohort=cohort, rows=rows)
            if not errors:
                payload = _signer(request, cohort).sign_object(rows, compress=True)
    elif request.method == "POST":
        status = 400
    preview = [(row, errors.get(row["line"], [])) for row in rows or []]
    return render(
        request,
        "trainings/staff/enrol_import.html",
        {
            "cohort": cohort,
            "form": form,
            "preview": preview,
            "n_errors": len(errors),
            "payload": payload,
        },
        status=status,
    )


@staff_view("trainings.run_training")
@require_http_methods(["GET", "POST"])
def enrolment_change(request, pk):
    """A participant's place in a cohort: correct their details, withdraw them, move them to another
    cohort, or enrol them again once withdrawn; with the history of both."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("participant__organization", "cohort"), pk=pk
    )
    participant = enrolment.participant
    withdraw_form = WithdrawForm(request.POST if "withdraw" in request.POST else None)
    move_form = MoveForm(request.POST if "move" in request.POST else None, enrolment=enrolment)
    details_form = ParticipantForm(
        request.POST if "details" in request.POST else None,
        initial={f: getattr(participant, f) for f in ("name", "title", "phone", "email")},
    )
    back = redirect("trainings:cohort_participants", pk=enrolment.cohort_id)
    if request.method == "POST":
        if "details" in request.POST and details_form.is_valid():
            try:
                enrolment_services.participant_update(
                    participant=participant, by=request.user, **details_form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(details_form, exc)
            else:
                messages.success(request, _("The participant's details were saved."))
                return redirect("trainings:enrolment_change", pk=enrolment.pk)
        elif "reenrol" in request.POST:
            try:
                enrolment_services.enrolment_reenrol(enrolment=enrolment, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("trainings:enrolment_change", pk=enrolment.pk)
            messages.success(request, _("%(name)s was enrolled again.") % {"name": participant})
            return back
        elif "withdraw" in request.POST and withdraw_form.is_valid():
            try:
                services.enrolment_withdraw(
                    enrolment=enrolment, reason=withdraw_form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                add_service_errors(withdraw_form, exc)
            else:
                messages.success(request, _("%(name)s was withdrawn.") % {"name": participant})
                return back
        elif "move" in request.POST and move_form.is_valid():
            try:
                moved = services.enrolment_move(
                    enrolment=enrolment, to_cohort=move_form.cleaned_data["to_cohort"], by=request.user
                )
            except ValidationError as exc:
                add_service_errors(move_form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s was moved to %(cohort)s.") % {"name": participant, "cohort": moved.cohort},
                )
                return back
    history = sorted(
        [
            *enrolment.history.select_related("history_user").order_by("-history_date")[:20],
            *participant.history.select_related("history_user").order_by("-history_date")[:20],
        ],
        key=lambda h: h.history_date,
        reverse=True,
    )
    return render(
        request,
        "trainings/staff/enrolment_change.html",
        {
            "enrolment": enrolment,
            "withdraw_form": withdraw_form,
            "move_form": move_form,
            "details_form": details_form,
            "cohort_ended": enrolment_services.cohort_has_ended(enrolment.cohort),
            "history": history,
        },
        status=400 if request.method == "POST" else 200,
    )
