"""Shapes of organisations and introductions in the API."""
from rest_framework import serializers

from ..models import Introduction, IntroductionStatus, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "name", "acronym", "kind", "country", "city", "sectors", "languages", "member_count",
            "year_founded", "contact_name", "contact_role", "contact_phone", "contact_email", "website",
            "description", "relation", "is_published", "last_verified_on",
        ]
        read_only_fields = fields


class IntroductionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Introduction
        fields = [
            "id", "migrant", "organisation", "dossier", "introduced_by", "purpose", "channel", "status", "outcome",
            "introduced_on", "status_changed_on", "follow_up_on", "created_at",
        ]
        read_only_fields = ["id", "introduced_by", "status", "outcome", "status_changed_on", "created_at"]
        extra_kwargs = {"introduced_on": {"required": False}}

    def get_fields(self):
        """The ids a caller may send are those they may see: any other is "does not exist", like a wrong id."""
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            for name in ("migrant", "organisation", "dossier"):
                field = fields[name]
                field.queryset = field.queryset.model.objects.visible_to(request.user)
        return fields


class IntroductionMoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=IntroductionStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)
