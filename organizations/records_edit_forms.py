"""Forms changing an organization's partners and volunteer records in the portal (the add forms, with what
only a change needs). Input cleaning only; the rules are in records_services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin

from .records_forms import DATE, PartnerForm, ResourceForm, TeamForm, VolunteerForm


class VolunteerEditForm(VolunteerForm):
    active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("Untick when the volunteer no longer takes part.")
    )


class HoursEditForm(BoundedTextMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)
    activity = forms.CharField(label=_("Activity"), max_length=255)


EDIT_FORMS = {
    "partner": PartnerForm,
    "resource": ResourceForm,
    "team": TeamForm,
    "volunteer": VolunteerEditForm,
    "hours": HoursEditForm,
}
