"""Forms of the training pages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin
from empowerment.uploads import clean_document

from .models import Certificate, Submission


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class SubmissionForm(BoundedTextMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, an image or a Word/Excel document, at most 10 MB."),
    )
    note = forms.CharField(
        label=_("Note to the trainer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_file(self):
        return clean_document(self.cleaned_data["file"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Upload the submission"))


class ReviewForm(BoundedTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Submission.Status.ACCEPTED, _("Accept")),
            (Submission.Status.RETURNED, _("Return with comments")),
        ],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback to the organization"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == Submission.Status.RETURNED
            and not (cleaned.get("feedback") or "").strip()
        ):
            self.add_error("feedback", _("Say what to change: the organization reads your comments."))
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the review"))


class CertificateIssueForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the certificates"), choices=Certificate.Language.choices
    )
