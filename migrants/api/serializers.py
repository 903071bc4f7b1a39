"""Shapes of persons and visits in the API. Validation of shape only: the services decide the rest."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from hom.territories.models import NeedCategory

from ..forms import FULL_FIELDS, QUICK_FIELDS
from ..models import Migrant, Visit

READ_FIELDS = ["id", "file_number", *FULL_FIELDS, "office", "advisor", "created_at", "updated_at", "erased_at"]


class MigrantSerializer(CountryFieldMixin, serializers.ModelSerializer):
    office = serializers.CharField(source="office.code", read_only=True)

    class Meta:
        model = Migrant
        fields = list(dict.fromkeys(READ_FIELDS))
        read_only_fields = ["id", "file_number", "advisor", "created_at", "updated_at", "erased_at"]
        extra_kwargs = {"sectors_of_interest": {"required": False}}

    def validate_birth_year(self, value):
        if value and not 1900 <= value <= timezone.localdate().year:
            raise serializers.ValidationError(_("Enter a year between 1900 and this year."))
        return value


class MigrantCreateSerializer(MigrantSerializer):
    confirm = serializers.BooleanField(
        default=False, write_only=True,
        help_text=_("True to register even though likely duplicates exist (the first try answers 409 with them)."),
    )

    class Meta(MigrantSerializer.Meta):
        fields = [*MigrantSerializer.Meta.fields, "confirm"]
        read_only_fields = [name for name in MigrantSerializer.Meta.fields if name not in QUICK_FIELDS]


class DuplicateSerializer(serializers.ModelSerializer):
    reasons = serializers.ListField(child=serializers.CharField(), source="duplicate_reasons")

    class Meta:
        model = Migrant
        fields = ["id", "file_number", "first_name", "last_name", "birth_year", "commune_of_origin", "reasons"]


class DuplicateProblemSerializer(serializers.Serializer):
    """The 409 answer of a registration that looks like a person already registered."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    candidates = DuplicateSerializer(many=True)


class VisitSerializer(serializers.ModelSerializer):
    needs = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=NeedCategory.objects.active())

    class Meta:
        model = Visit
        fields = [
            "id", "migrant", "occurred_at", "channel", "place", "needs", "services_given", "notes", "referral_to",
            "outcome", "follow_up_on", "follow_up_advisor", "follow_up_done", "advisor", "created_at",
        ]
        read_only_fields = ["id", "migrant", "follow_up_advisor", "follow_up_done", "advisor", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}}

    def validate_follow_up_on(self, value):
        if value and value < timezone.localdate():
            raise serializers.ValidationError(_("A follow-up date cannot be in the past."))
        return value


class WalkInSerializer(serializers.ModelSerializer):
    needs = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=NeedCategory.objects.active())

    class Meta:
        model = Visit
        fields = ["id", "occurred_at", "channel", "commune", "sex", "age_group", "needs", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}}
