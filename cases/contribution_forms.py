"""The "Del en erfaring" form: plain-Danish questions mapped onto the case's fields."""

import unicodedata
import uuid

from django import forms

from portal.forms import ErrorsDescribedMixin
from portal.models import ProfessionalGroup, Region, Sector, Theme

from .models import Case

MAX_LINES_TEXT = 3000
MAX_ID = 2**31 - 1
SINGLE_LINE_FIELDS = ("title", "place", "contact_name")
MULTI_LINE_FIELDS = ("lead", "body", "key_learnings", "dos", "donts")


def _without_control_characters(text, single_line):
    """Text as typed, minus control characters (NUL, escape codes); line breaks are kept
    where the answer may have several lines."""
    text = (text or "").replace("\r\n", "\n")
    if single_line:
        text = " ".join(text.split())
    kept = "\n" if not single_line else ""
    return "".join(
        char
        for char in text
        if char in kept or unicodedata.category(char) not in ("Cc", "Cs", "Cf")
    ).strip()


class TaxonomyChoices(forms.ModelMultipleChoiceField):
    """Checkboxes of taxonomy rows. A value that is no id a database integer can hold is
    refused like any unknown id before it reaches the database (a `pk__in` lookup with it
    overflows on SQLite)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ContributionForm(ErrorsDescribedMixin, forms.ModelForm):
    """What a contributor tells; the moderation fields are set by cases.contributions."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    themes = TaxonomyChoices(
        label="Hvilke temaer handler erfaringen om?",
        queryset=Theme.objects.select_related("group"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Vælg et eller flere.",
        error_messages={"required": "Vælg mindst ét tema."},
    )
    consent = forms.BooleanField(
        label=(
            "Jeg har lov til at dele erfaringen, og portalen må offentliggøre den, når "
            "redaktionen har læst den igennem"
        ),
        error_messages={"required": "Sæt kryds, hvis erfaringen må offentliggøres."},
    )

    class Meta:
        model = Case
        fields = [
            "title",
            "lead",
            "body",
            "key_learnings",
            "dos",
            "donts",
            "place",
            "region",
            "other_regions",
            "sector",
            "professional_groups",
            "contact_name",
            "contact_email",
            "credit_person",
        ]
        labels = {
            "title": "Giv erfaringen en overskrift",
            "lead": "Hvad var problemet?",
            "body": "Hvad gjorde I?",
            "key_learnings": "Hvad kom der ud af det?",
            "dos": "Gør sådan",
            "donts": "Undgå",
            "place": "Arbejdsplads",
            "region": "Region",
            "other_regions": "Også i andre regioner",
            "sector": "Sektor",
            "professional_groups": "Hvem var med?",
            "contact_name": "Kontaktpersonens navn",
            "contact_email": "Kontaktpersonens e-mail",
            "credit_person": "Kontaktpersonens navn og e-mail må stå på casen",
        }
        help_texts = {
            "title": "Fx „Tavlemøder gav ro i akutmodtagelsen“.",
            "lead": "Kort: hvad var udfordringen, før I gik i gang? Højst 600 tegn.",
            "body": "Fortæl, hvad I gjorde, trin for trin. Lav en tom linje mellem afsnit.",
            "key_learnings": "De vigtigste resultater og erfaringer, én pr. linje.",
            "dos": "Hvad vil du råde andre til at gøre? Ét råd pr. linje.",
            "donts": "Hvad skal andre undgå? Ét råd pr. linje.",
            "place": "Afdeling og hospital, institution eller kommune. Står på casen.",
            "region": "Vælg ingen, hvis erfaringen er fra flere regioner eller landsdækkende.",
            "other_regions": "Hvis andre regioner også var med.",
            "professional_groups": "Vælg de faggrupper, der var med.",
            "contact_email": "Redaktionen skriver hertil, hvis der er spørgsmål.",
            "credit_person": (
                "Uden kryds står kun arbejdspladsen på casen, og navn og e-mail ses kun "
                "af redaktionen."
            ),
        }
        field_classes = {"other_regions": TaxonomyChoices, "professional_groups": TaxonomyChoices}
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "key_learnings": forms.Textarea(attrs={"rows": 5}),
            "dos": forms.Textarea(attrs={"rows": 4}),
            "donts": forms.Textarea(attrs={"rows": 4}),
            "other_regions": forms.CheckboxSelectMultiple,
            "professional_groups": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": "Skriv en overskrift."},
            "lead": {"required": "Skriv kort, hvad problemet var."},
            "body": {"required": "Skriv, hvad I gjorde."},
            "place": {"required": "Skriv arbejdspladsen."},
            "sector": {"required": "Vælg en sektor."},
            "contact_name": {"required": "Skriv kontaktpersonens navn."},
            "contact_email": {
                "required": "Skriv kontaktpersonens e-mail.",
                "invalid": "Skriv en gyldig e-mailadresse, fx navn@region.dk.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        # Blank in the model (editors' cases may lack them), asked of every contributor.
        for name in ("key_learnings", "contact_name", "contact_email"):
            fields[name].required = True
        fields["key_learnings"].error_messages["required"] = "Skriv, hvad der kom ud af det."
        fields["region"].queryset = Region.objects.order_by("name")
        fields["region"].empty_label = "Ingen bestemt region"
        fields["other_regions"].queryset = Region.objects.order_by("name")
        fields["sector"].queryset = Sector.objects.order_by("name")
        fields["sector"].empty_label = "Vælg sektor"
        fields["professional_groups"].queryset = ProfessionalGroup.objects.order_by("name")
        for name, field in fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = "Vælg en af mulighederne på listen."
                field.error_messages["invalid_pk_value"] = "Vælg en af mulighederne på listen."
            max_length = getattr(field, "max_length", None)
            if max_length:
                field.error_messages["max_length"] = (
                    f"Højst {max_length} tegn (du har skrevet %(show_value)d)."
                )
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self.auto_id % name}-hint"
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-checkbox"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-input form-input--wide"
        for name in MULTI_LINE_FIELDS:
            if not fields[name].max_length:
                fields[name].validators.append(_max_length(MAX_LINES_TEXT))
        fields["contact_name"].widget.attrs["autocomplete"] = "name"
        fields["contact_email"].widget.attrs["autocomplete"] = "email"
        fields["place"].widget.attrs["autocomplete"] = "organization"
        if self.instance.pk:
            self.initial.setdefault("themes", list(self.instance.themes.all()))
            self.initial.setdefault("consent", False)
        if "form_token" not in self.data:
            fields["form_token"].initial = self.initial.get("form_token") or uuid.uuid4()

    def _clean_text(self, name, single_line):
        return _without_control_characters(self.cleaned_data.get(name), single_line)

    def clean(self):
        cleaned = super().clean()
        for name in SINGLE_LINE_FIELDS:
            if name in cleaned:
                cleaned[name] = self._clean_text(name, single_line=True)
                if not cleaned[name] and self.fields[name].required:
                    self.add_error(name, self.fields[name].error_messages["required"])
        for name in MULTI_LINE_FIELDS:
            if name in cleaned:
                cleaned[name] = self._clean_text(name, single_line=False)
                if not cleaned[name] and self.fields[name].required:
                    self.add_error(name, self.fields[name].error_messages["required"])
        region = cleaned.get("region")
        if region is not None and cleaned.get("other_regions") is not None:
            cleaned["other_regions"] = [r for r in cleaned["other_regions"] if r != region]
        return cleaned

    def save_relations(self, case):
        """Themes, groups and other regions, once the case has its id."""
        case.themes.set(list(self.cleaned_data["themes"]))
        case.professional_groups.set(self.cleaned_data.get("professional_groups") or [])
        case.other_regions.set(self.cleaned_data.get("other_regions") or [])


def _max_length(limit):
    def validate(value):
        if value and len(value) > limit:
            raise forms.ValidationError(
                f"Højst {limit} tegn (du har skrevet {len(value)}).", code="max_length"
            )

    return validate
