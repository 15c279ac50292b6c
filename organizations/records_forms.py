"""Forms of the portal's records (due-diligence documents, partners and their resources, volunteer teams,
volunteers and hours) and of the staff review of documents. Input cleaning only; the rules are in the
services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin
from empowerment.money import MoneyFormField
from empowerment.uploads import clean_document

from .models import DueDiligenceDocument, Partner, PartnerResource


def _helper(submit_label, *, form_id: str = "") -> FormHelper:
    helper = FormHelper()
    if form_id:
        helper.form_id = form_id
    helper.add_input(Submit("submit", submit_label))
    return helper


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentUploadForm(BoundedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DueDiligenceDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("A PDF, a photo or scan (JPEG, PNG) or an Office document.")
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE,
        help_text=_(
            "Leave empty if the document does not expire. You are reminded 60, 30 and 7 days before."
        ),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Upload"), form_id="document-upload")

    def clean_file(self):
        return clean_document(self.cleaned_data["file"])


class DocumentReturnForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organization reads this in its portal and by email."),
    )


class PartnerForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Partner's name"),
        max_length=200,
        help_text=_("A partner already known to the programme under this name is linked, not duplicated."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Partner.Kind.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the partner"), form_id="partner-add")


class ResourceForm(BoundedTextMixin, forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    kind = forms.ChoiceField(label=_("Kind of resource"), choices=PartnerResource.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=255)
    provided_on = forms.DateField(label=_("Provided on"), widget=DATE, initial=timezone.localdate)
    estimated_value = MoneyFormField(
        label=_("Estimated value (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        initial=0,
        help_text=_("Non-cash: kept apart from cash in every total."),
    )
    valuation_basis = forms.CharField(
        label=_("Basis of the value"),
        max_length=255,
        required=False,
        help_text=_("How the value was arrived at, e.g. the market rent of the room for the hours used."),
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["partner"].queryset = partners
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own URL: the template writes the <form>


class TeamForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)
    leader_name = forms.CharField(label=_("Team leader"), max_length=100, required=False)
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the team"), form_id="team-add")


class VolunteerForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=255, required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the volunteer"), form_id="volunteer-add")


class HoursForm(BoundedTextMixin, forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)
    activity = forms.CharField(label=_("Activity"), max_length=255)

    def __init__(self, *args, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.helper = FormHelper()
        self.helper.form_tag = False  # posted to its own URL: the template writes the <form>
