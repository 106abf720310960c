"""The applicant's form and the secretariat's decision form."""

import uuid
from datetime import timedelta

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from portal.forms import ErrorsDescribedMixin

from . import sections, workflow
from .models import SupportApplication, SupportForm
from .models.applications import SUPPORT_FORM_HINTS, ContactPerson
from .validators import MAX_ATTACHMENT_SIZE, normalize_phone, validate_attachment

Status = SupportApplication.Status
MAX_START_AHEAD = timedelta(days=366)

TEXT_FIELD_CLASSES = "form-input"
# Long answers: as wide as the form, so the applicant can read back what was typed.
WIDE_FIELDS = {
    "initiative_title",
    "initiative_description",
    "institution",
    "department",
    "own_resources",
    "message_to_secretariat",
}


class SupportApplicationForm(ErrorsDescribedMixin, forms.ModelForm):
    """What 003 asks for. Saving a draft checks formats only; submitting checks it all.

    `submitting` decides which: pass True when the applicant pressed "Indsend".
    """

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    support_forms = forms.MultipleChoiceField(
        label="Hvilken form for støtte ønsker I?",
        choices=SupportForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Vælg en eller flere. Det samme initiativ kan få flere former for støtte.",
    )
    contact_person = forms.ChoiceField(
        label="Hvem af jer er kontaktperson?",
        choices=ContactPerson.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    message_to_secretariat = forms.CharField(
        label="Svar til sekretariatet",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Skriv, hvad I har tilføjet eller rettet. Beskeden følger med ansøgningen.",
    )

    class Meta:
        model = SupportApplication
        # Declared once with the admin's fieldsets and the CSV columns (sections.py).
        fields = sections.MODEL_FORM_FIELDS
        labels = {
            "initiative_title": "Initiativets titel",
            "initiative_description": "Kort beskrivelse af initiativet",
            "institution": "Sygehus eller institution",
            "department": "Afdeling",
            "region": "Region",
            "leader_name": "Lederens navn",
            "leader_title": "Lederens stilling",
            "leader_email": "Lederens e-mail",
            "leader_phone": "Lederens telefon",
            "employee_rep_name": "Medarbejderrepræsentantens navn",
            "employee_rep_title": "Medarbejderrepræsentantens stilling",
            "employee_rep_email": "Medarbejderrepræsentantens e-mail",
            "employee_rep_phone": "Medarbejderrepræsentantens telefon",
            "own_resources": "Hvilke ressourcer kan I selv stille med?",
            "ready_to_start": "Hvornår er I klar til at gå i gang?",
            "confirms_several_professions": "Initiativet involverer flere faggrupper.",
            "confirms_timing": (
                "Initiativet er i gang eller kan sættes i gang inden for de kommende måneder."
            ),
            "confirms_sharing": (
                "Vi er indstillet på, at læring og resultater fra initiativet deles med "
                "andre sygehusafdelinger."
            ),
            "confirms_local_backing": (
                "Vi har drøftet forslaget lokalt, og både ledelse og medarbejdere bakker op."
            ),
            "attachment": "Bilag (valgfrit)",
        }
        help_texts = {
            "initiative_description": (
                "Hvad vil I gerne opnå, hvem er med, og hvor langt er I? Højst 4.000 tegn."
            ),
            "own_resources": "Fx en lokal projektleder, tid til projektgruppen, lokaler. "
            "Højst 2.000 tegn.",
            "ready_to_start": "Senest et år fra i dag.",
            "attachment": "PDF eller Word (.docx eller .doc), højst 10 MB. Hvis formularen "
            "har fejl, skal filen vælges igen.",
        }
        widgets = {
            "initiative_description": forms.Textarea(attrs={"rows": 8}),
            "own_resources": forms.Textarea(attrs={"rows": 4}),
            "ready_to_start": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            # data-max-bytes: static/portal/js/portal.js warns before a too large file
            # is sent (portal/uploads.py refuses it on arrival).
            "attachment": forms.FileInput(
                attrs={"accept": ".pdf,.doc,.docx", "data-max-bytes": MAX_ATTACHMENT_SIZE}
            ),
        }

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        application = self.instance
        self.fields["region"].empty_label = "Vælg region"
        self.fields["region"].required = False
        self.fields["form_token"].initial = application.form_token or uuid.uuid4()
        if application.pk:
            self.fields["support_forms"].initial = [f.value for f in application.support_forms]
            self.fields["contact_person"].initial = application.contact_person
        if application.status != Status.NEEDS_INFO:
            del self.fields["message_to_secretariat"]
        self.support_form_hints = SUPPORT_FORM_HINTS
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-select"
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-checkbox"
            elif isinstance(widget, forms.FileInput):
                widget.attrs["class"] = "form-file-input"
            elif name in WIDE_FIELDS:
                widget.attrs["class"] = f"{TEXT_FIELD_CLASSES} form-input--wide"
            elif isinstance(widget, (forms.widgets.Input, forms.Textarea)):
                widget.attrs["class"] = TEXT_FIELD_CLASSES
            if field.help_text and not isinstance(widget, forms.HiddenInput):
                widget.attrs["aria-describedby"] = f"{self.auto_id % name}-hint"

    # Field by field: formats, always (drafts too).

    def clean_leader_phone(self):
        return normalize_phone(self.cleaned_data.get("leader_phone"))

    def clean_employee_rep_phone(self):
        return normalize_phone(self.cleaned_data.get("employee_rep_phone"))

    def clean_ready_to_start(self):
        value = self.cleaned_data.get("ready_to_start")
        if value is None or value == self.instance.ready_to_start:
            return value  # unchanged dates are not judged again on a resubmission
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError("Datoen kan ikke ligge før i dag.", code="past")
        if value > today + MAX_START_AHEAD:
            raise forms.ValidationError(
                "Initiativet skal kunne gå i gang inden for de kommende måneder – "
                "vælg en dato senest et år fra i dag.",
                code="too_late",
            )
        return value

    def clean_attachment(self):
        uploaded = self.cleaned_data.get("attachment")
        if isinstance(uploaded, UploadedFile):
            kind = validate_attachment(uploaded)
            self.attachment_original_name = uploaded.name[-255:]
            uploaded.name = f"bilag.{kind}"
        return uploaded

    def clean(self):
        cleaned = super().clean()
        leader, rep = cleaned.get("leader_email"), cleaned.get("employee_rep_email")
        if leader and rep and leader.strip().lower() == rep.strip().lower():
            self.add_error(
                "employee_rep_email",
                "Lederen og medarbejderrepræsentanten skal have hver sin e-mailadresse.",
            )
        if self.submitting:
            values = dict(cleaned)
            for field in workflow.SUPPORT_FORM_FIELDS:
                values[field] = field.removeprefix("wants_") in cleaned.get("support_forms", [])
            values["region"] = cleaned.get("region")
            for field, message in workflow.missing_for_submission(values).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def save(self, commit=True):
        application = self.instance
        if not application.pk:
            application.form_token = self.cleaned_data.get("form_token") or uuid.uuid4()
        chosen = set(self.cleaned_data.get("support_forms") or [])
        for form in SupportForm:
            setattr(application, form.field_name, form.value in chosen)
        application.contact_person = self.cleaned_data.get("contact_person") or ""
        if getattr(self, "attachment_original_name", None):
            application.attachment_name = self.attachment_original_name
        elif not self.cleaned_data.get("attachment"):
            application.attachment_name = ""
        return super().save(commit=commit)


class ReviewForm(forms.Form):
    """The secretariat's next step on an application: status and message to the applicants."""

    target = forms.ChoiceField(label="Næste trin", widget=forms.RadioSelect)
    message = forms.CharField(
        label="Besked til ansøgerne",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Sendes med e-mailen og vises under “Mine ansøgninger”. Skal udfyldes, "
        "når I beder om flere oplysninger eller giver afslag.",
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.value, t.label) for t in targets]

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target in workflow.MESSAGE_REQUIRED and not cleaned.get("message", "").strip():
            self.add_error("message", "Skriv en besked til ansøgerne.")
        return cleaned
