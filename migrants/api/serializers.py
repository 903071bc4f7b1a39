"""Shapes of persons and visits in the API. Validation of shape only: the services decide the rest."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from hom.territories.models import NeedCategory

from ..forms import FULL_FIELDS, QUICK_FIELDS
from ..models import Migrant, Visit
from ..offline.services import check_entered_at

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


class OfflineFieldsMixin(serializers.Serializer):
    """What a device's outbox adds to a record (docs/offline.md): sent twice, it is created once."""

    client_id = serializers.UUIDField(
        required=False, write_only=True,
        help_text=_("A UUID drawn by the client for this record: sending it again returns the first record "
                    "(200) instead of creating another."),
    )
    entered_at = serializers.DateTimeField(
        required=False, write_only=True,
        help_text=_("When the record was entered on the device (it may be sent much later); not in the future."),
    )

    def validate_entered_at(self, value):
        if value is None:
            return value
        try:
            return check_entered_at(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class MigrantCreateSerializer(OfflineFieldsMixin, MigrantSerializer):
    on_duplicate = serializers.ChoiceField(
        choices=[("refuse", "refuse"), ("review", "review")], default="refuse", write_only=True,
        help_text=_("refuse: a likely duplicate answers 409 with the candidates. review (offline devices): the "
                    "person is registered and put on the office's \"to review\" page."),
    )
    def validate(self, attrs):
        if attrs.get("on_duplicate") == "review" and not attrs.get("client_id"):
            raise serializers.ValidationError(
                {"on_duplicate": _("A registration put on review needs its client_id.")})
        return super().validate(attrs)

    confirm = serializers.BooleanField(
        default=False, write_only=True,
        help_text=_("True to register even though likely duplicates exist (the first try answers 409 with them)."),
    )

    class Meta(MigrantSerializer.Meta):
        fields = [*MigrantSerializer.Meta.fields, "confirm", "on_duplicate", "client_id", "entered_at"]
        read_only_fields = [name for name in MigrantSerializer.Meta.fields if name not in QUICK_FIELDS]


class MigrantReceivedSerializer(MigrantSerializer):
    """A registration's answer: the person, and whether it waits on the "to review" page."""

    review = serializers.BooleanField(
        read_only=True, help_text=_("True when the person looks like one already registered: an advisor reviews it."),
    )

    class Meta(MigrantSerializer.Meta):
        fields = [*MigrantSerializer.Meta.fields, "review"]


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


class VisitSerializer(OfflineFieldsMixin, serializers.ModelSerializer):
    needs = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=NeedCategory.objects.active())

    class Meta:
        model = Visit
        fields = [
            "id", "migrant", "occurred_at", "channel", "place", "needs", "services_given", "notes", "referral_to",
            "outcome", "follow_up_on", "follow_up_advisor", "follow_up_done", "advisor", "created_at",
            "client_id", "entered_at",
        ]
        read_only_fields = ["id", "migrant", "follow_up_advisor", "follow_up_done", "advisor", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}}

    def validate_follow_up_on(self, value):
        if value and value < timezone.localdate():
            raise serializers.ValidationError(_("A follow-up date cannot be in the past."))
        return value


class WalkInSerializer(OfflineFieldsMixin, serializers.ModelSerializer):
    needs = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=NeedCategory.objects.active())

    class Meta:
        model = Visit
        fields = ["id", "occurred_at", "channel", "commune", "sex", "age_group", "needs", "created_at", "client_id",
                  "entered_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}}
