"""Cabinet Office staff edit services and their pricing schemes here.

This admin lives in the repricing app, not the catalogue, because saving a scheme reprices the
framework: a new or changed scheme is validated by catalogue/pricing.py and goes through
`services.service_add` / `service_scheme_change`, which ask for the same repricing as a sign-up
(snapshots, every active contract line at the new price). Price history and the repricing
records are append-only, so they are read-only here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from accounts import permissions
from catalogue import pricing, schemes
from catalogue import services as catalogue_services
from catalogue.models import PriceBand, PriceSnapshot, Service
from catalogue.selectors import scheme_for
from core.admin import ReadOnlyModelAdmin

from . import services
from .models import RepricingRequest, RepricingRun


def _manages_catalogue(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and permissions.can_manage_catalogue(user)


class ServiceAdminForm(forms.ModelForm):
    """Checks the scheme's own parameters; bands are checked by PriceBandFormSet. Parameters
    of the other schemes are cleared, so switching scheme needs no tidying up by hand."""

    class Meta:
        model = Service
        fields = [
            "slug",
            "name",
            "kind",
            "category",
            "description",
            "included",
            "active",
            *schemes.SERVICE_FIELDS,
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        codec = schemes.CODECS.get(cleaned.get("pricing_scheme"))
        if codec is None:
            return cleaned
        for field in schemes.PARAMETER_COLUMNS:
            if field not in codec.columns:
                cleaned[field] = None
            elif cleaned.get(field) is None and field not in self.errors:
                label = codec.label.lower()
                self.add_error(field, f"Enter {codec.columns[field]} for a {label} scheme.")
        # A scheme with bands is checked with them, by PriceBandFormSet.
        if not codec.has_bands and not any(f in self.errors for f in codec.columns):
            try:
                schemes.scheme_from(cleaned).validate()
            except pricing.SchemeError as exc:
                for field, errors in exc.errors.items():
                    for error in errors:
                        self.add_error(field, error)
        return cleaned


class PriceBandFormSet(BaseInlineFormSet):
    """The bands of a scheme with bands (volume), checked together against the pricing rules."""

    def bands(self) -> tuple[pricing.Band, ...]:
        return tuple(
            pricing.Band(
                up_to=form.cleaned_data.get("up_to"), unit_price=form.cleaned_data["unit_price"]
            )
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("unit_price") is not None
        )

    def clean(self) -> None:
        super().clean()
        codec = schemes.CODECS.get(self.instance.pricing_scheme)
        if any(self.errors) or codec is None or not codec.has_bands:
            return
        if errors := codec.band_errors(self.bands()):
            raise ValidationError(errors)


class PriceBandInline(admin.TabularInline):
    model = PriceBand
    formset = PriceBandFormSet
    extra = 1
    verbose_name = "volume band"
    verbose_name_plural = (
        "Volume bands (volume schemes only): list them from the smallest to the largest, and "
        "leave 'up to' empty on the last band"
    )

    def has_view_permission(self, request, obj=None) -> bool:
        return _manages_catalogue(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return _manages_catalogue(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _manages_catalogue(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _manages_catalogue(request)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceAdminForm
    inlines = [PriceBandInline]
    list_display = [
        "name",
        "slug",
        "kind",
        "category",
        "pricing_scheme",
        "framework_seats",
        "current_unit_price",
        "active",
    ]
    list_filter = ["kind", "category", "pricing_scheme", "active"]
    search_fields = ["name", "slug"]
    fieldsets = [
        (
            None,
            {"fields": ["slug", "name", "kind", "category", "description", "included", "active"]},
        ),
        (
            "Pricing scheme",
            {
                "description": (
                    "Fill in only the parameters of the chosen scheme: shared fixed cost needs "
                    "the fixed annual cost, marginal cost and floor; flat needs the price per "
                    "seat; volume needs the bands below. The others are cleared on save. "
                    "Saving a new scheme reprices every member's contract."
                ),
                "fields": list(schemes.SERVICE_FIELDS),
            },
        ),
        ("Today", {"fields": ["framework_seats", "current_unit_price"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The slug is in bookmarked quotes and API clients: fixed once the service exists.
        fixed = ["framework_seats", "current_unit_price"]
        return ["slug", *fixed] if obj is not None else fixed

    def has_module_permission(self, request) -> bool:
        return _manages_catalogue(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _manages_catalogue(request)

    def has_add_permission(self, request) -> bool:
        return _manages_catalogue(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _manages_catalogue(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Contracts and price history refer to services: withdraw one by unticking "active".
        return False

    def save_model(self, request, obj: Service, form, change: bool) -> None:
        # Writes happen in save_related, which sees the bands as well.
        if change:
            data = form.cleaned_data
            catalogue_services.service_update_details(
                service=obj,
                name=data["name"],
                kind=data["kind"],
                category=data["category"],
                description=data["description"],
                included=data["included"],
                active=data["active"],
            )

    def save_related(self, request, form, formsets, change: bool) -> None:
        obj: Service = form.instance
        band_formsets = [f for f in formsets if isinstance(f, PriceBandFormSet)]
        bands = band_formsets[0].bands() if band_formsets else ()
        scheme = schemes.scheme_from(form.cleaned_data, bands=bands)
        if not change:
            data = form.cleaned_data
            created = services.service_add(
                slug=data["slug"],
                name=data["name"],
                kind=data["kind"],
                category=data["category"],
                description=data["description"],
                included=data["included"],
                active=data["active"],
                scheme=scheme,
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        before = scheme_for(Service.objects.prefetch_related("bands").get(pk=obj.pk))
        # Decimal compares by value (25 == 25.00): saving the form unchanged is no change.
        if before == scheme:
            return
        services.service_scheme_change(service=obj, scheme=scheme)
        self.message_user(
            request,
            f"The pricing scheme of {obj.name} changed: prices are being recalculated for every member.",
            messages.SUCCESS,
        )

    def construct_change_message(self, request, form, formsets, add=False):
        # The bands are saved by the service, not the formset, so describe them here.
        changed = list(form.changed_data)
        if any(f.has_changed() for f in formsets):
            changed.append("bands")
        return [{"added": {}}] if add else [{"changed": {"fields": changed}}] if changed else []


class _CatalogueRecordAdmin(ReadOnlyModelAdmin):
    """Records written only by the catalogue's services: Cabinet Office staff may look."""

    def has_module_permission(self, request) -> bool:
        return _manages_catalogue(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _manages_catalogue(request)


@admin.register(PriceSnapshot)
class PriceSnapshotAdmin(_CatalogueRecordAdmin):
    """Append-only price history: viewable, never added, changed or deleted by hand."""

    list_display = [
        "service",
        "effective_at",
        "framework_seats",
        "unit_price",
        "reason",
        "caused_by",
    ]
    list_filter = ["service"]
    list_select_related = ["service", "caused_by"]
    date_hierarchy = "effective_at"


@admin.register(RepricingRequest)
class RepricingRequestAdmin(_CatalogueRecordAdmin):
    list_display = ["requested_at", "reason", "caused_by", "processed_at"]
    list_select_related = ["caused_by"]


@admin.register(RepricingRun)
class RepricingRunAdmin(_CatalogueRecordAdmin):
    list_display = [
        "started_at",
        "finished_at",
        "requests_processed",
        "snapshots_written",
        "lines_updated",
    ]
