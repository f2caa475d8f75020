"""Forms behind the contract filters: the page and the API validate with the same form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from core.forms import YEAR_MESSAGE, four_digit_year

DATE_PARTS = ("day", "month", "year")


class FilterDateWidget(forms.MultiWidget):
    """A GOV.UK date input (day, month, year) that also accepts one ISO date under the field's
    own name, so API calls, bookmarks and download links can say `signed_after=2026-10-05`.

    Returns the ISO text as-is (a string) or the three parts (a list); the field tells them apart.
    """

    template_name = "contracts/widgets/date_input.html"

    def __init__(self, attrs: dict | None = None) -> None:
        widths = {"day": 2, "month": 2, "year": 4}
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{widths[part]}",
                    "inputmode": "numeric",
                }
            )
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value) -> list:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                return self.decompress(dt.date.fromisoformat(value))
            except ValueError:
                return [None, None, None]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day input, as the GOV.UK pattern asks.
        return f"{id_}_0" if id_ else id_

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = part.capitalize()
        return context


class FilterDateField(forms.Field):
    """An optional date from a GOV.UK date input or an ISO `YYYY-MM-DD` string."""

    widget = FilterDateWidget
    default_error_messages = {
        "invalid": "%(label)s must be a real date, for example 5 10 2026 (or 2026-10-05)",
        "incomplete": "%(label)s must include a day, month and year",
        "year": YEAR_MESSAGE,
    }

    def to_python(self, value) -> dt.date | None:
        if value in self.empty_values:
            return None
        params = {"label": self.label or "Date"}
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], "invalid", params) from None
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], "incomplete", params)
        day, month, year = parts
        try:
            day, month = int(day), int(month)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], "invalid", params) from None
        try:
            year = four_digit_year(year)
        except ValidationError:
            raise ValidationError(self.error_messages["year"], "year") from None
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], "invalid", params) from None

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


class ContractFilterForm(forms.Form):
    """The checks that span fields; each field's own checks live on its filter."""

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_errors()

    def _mark_errors(self) -> None:
        """GOV.UK error styling and the link from each input to its error message."""
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            inputs = widget.widgets if isinstance(widget, forms.MultiWidget) else [widget]
            for subwidget in inputs:
                css = subwidget.attrs.get("class", "")
                base = "govuk-select" if "govuk-select" in css else "govuk-input"
                subwidget.attrs["class"] = f"{css} {base}--error".strip()
            described = widget.attrs.get("aria-describedby", "").split()
            widget.attrs["aria-describedby"] = " ".join([*described, f"{self[name].auto_id}-error"])

    def clean(self) -> dict:
        cleaned = super().clean()
        after, before = cleaned.get("signed_after"), cleaned.get("signed_before")
        if after and before and after > before:
            self.add_error(
                "signed_before",
                "Signed on or before must be the same as or after signed on or after",
            )
        return cleaned
