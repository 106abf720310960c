"""The registration form for a workshop."""

import unicodedata

from django import forms

from portal.models import ProfessionalGroup, Region

from .models import Registration

TEXT_FIELDS = ("name", "workplace", "dietary_needs")


def _single_line(text):
    """One line without control characters (NUL, escape codes, line breaks): the text goes
    into a mail's lines and the secretariat's CSV export."""
    text = " ".join((text or "").split())
    return "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cs"))


class RegistrationForm(forms.ModelForm):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "workplace",
            "region",
            "professional_group",
            "dietary_needs",
            "consents_to_participant_list",
        ]
        labels = {
            "consents_to_participant_list": (
                "Mit navn, min arbejdsplads og min faggruppe må stå på deltagerlisten, som "
                "deles med de andre deltagere"
            ),
        }
        help_texts = {
            "email": "Vi sender en bekræftelse hertil med et link, så du kan afmelde dig.",
            "workplace": "Fx afdeling og hospital, kommune eller organisation.",
            "dietary_needs": "Fx vegetar, glutenfri eller allergi.",
            "consents_to_participant_list": (
                "Frivilligt. Uden dit ja står du kun på sekretariatets egen liste."
            ),
        }
        error_messages = {
            "name": {"required": "Skriv dit navn."},
            "email": {
                "required": "Skriv din e-mailadresse.",
                "invalid": "Skriv en gyldig e-mailadresse, fx navn@region.dk.",
            },
            "workplace": {"required": "Skriv din arbejdsplads."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("name")
        self.fields["region"].empty_label = "Vælg region (eller ingen)"
        self.fields["professional_group"].queryset = ProfessionalGroup.objects.order_by("name")
        self.fields["professional_group"].empty_label = "Vælg faggruppe (eller ingen)"
        for name in ("region", "professional_group"):
            self.fields[name].error_messages["invalid_choice"] = (
                "Vælg en af mulighederne på listen."
            )
        for name, field in self.fields.items():
            if name in TEXT_FIELDS:
                max_length = field.max_length
                field.error_messages["max_length"] = (
                    f"Højst {max_length} tegn (du har skrevet %(show_value)d)."
                )
            if field.widget.input_type not in ("checkbox", "hidden"):
                field.widget.attrs.setdefault("class", "form-input")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["workplace"].widget.attrs["autocomplete"] = "organization"
        if "form_token" not in self.data:
            self.fields["form_token"].initial = self.initial.get("form_token")

    def _clean_text(self, name, required):
        value = _single_line(self.cleaned_data.get(name, ""))
        if required and not value:
            raise forms.ValidationError(self.fields[name].error_messages["required"])
        return value

    def clean_name(self):
        return self._clean_text("name", required=True)

    def clean_workplace(self):
        return self._clean_text("workplace", required=True)

    def clean_dietary_needs(self):
        return self._clean_text("dietary_needs", required=False)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip()

    def registration_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
