"""Filters of the public initiative list (theme, region, phase)."""

import django_filters

from portal.models import Region, Theme

from .models import Initiative


class InitiativeFilter(django_filters.FilterSet):
    tema = django_filters.ModelChoiceFilter(
        label="Tema",
        field_name="themes",
        queryset=Theme.objects.select_related("group"),
        to_field_name="slug",
        empty_label="Alle temaer",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region",
        field_name="region",
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label="Alle regioner",
    )
    fase = django_filters.ChoiceFilter(
        label="Fase",
        field_name="phase",
        choices=Initiative.Phase.choices,
        empty_label="Alle faser",
    )

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"
