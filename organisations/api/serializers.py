"""Output of the organisation API (docs/interface.md); it takes no input."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import MembershipStatus, Organisation, OrganisationKind


class OrganisationOutputSerializer(serializers.Serializer):
    """A public-sector body that is, or may become, a member of the Flex framework."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, read_only=True)
    staff = serializers.IntegerField(read_only=True)
    desktops = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(
        source="membership_status", choices=MembershipStatus.choices, read_only=True
    )
    predecessors = serializers.SerializerMethodField(
        help_text="Slugs of the organisations it took over (for example in a merger)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_predecessors(self, organisation: Organisation) -> list[str]:
        # The prefetched predecessors (organisations.selectors.organisation_list).
        return [predecessor.slug for predecessor in organisation.predecessors.all()]
