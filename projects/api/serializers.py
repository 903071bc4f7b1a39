"""Shapes of dossiers and of the funding catalogue in the API."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..funding.models import FundingOpportunity
from ..models import DossierStatus, ProjectDossier

DOSSIER_FIELDS = [
    "id", "reference", "office", "promoter", "advisor", "title", "summary", "sector", "commune", "kind", "stage",
    "jobs_women", "jobs_men", "expected_start", "status", "status_changed_at", "submitted_at", "readiness",
    "created_at", "updated_at",
]


class BudgetSerializer(serializers.Serializer):
    budget_total = serializers.IntegerField(help_text=_("Sum of the budget lines, in FCFA."))
    financing_total = serializers.IntegerField(help_text=_("Sum of the financing lines, in FCFA."))
    own_total = serializers.IntegerField(help_text=_("The promoter's own contribution, in FCFA."))
    amount_sought = serializers.IntegerField(help_text=_("Loans, grants and other sources sought, in FCFA."))


class DossierSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code", read_only=True)
    budget = serializers.SerializerMethodField()

    class Meta:
        model = ProjectDossier
        fields = [*DOSSIER_FIELDS, "budget"]
        read_only_fields = fields

    def get_budget(self, dossier) -> BudgetSerializer:
        return BudgetSerializer({name: getattr(dossier, name) for name in BudgetSerializer._declared_fields}).data


class ReadinessSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text=_("How complete the dossier is, 0 to 100."))
    missing = serializers.ListField(child=serializers.CharField(), help_text=_("What is still missing, in words."))


class DossierDetailSerializer(DossierSerializer):
    readiness_detail = serializers.SerializerMethodField()
    allowed_moves = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "readiness_detail", "allowed_moves"]
        read_only_fields = fields

    def get_readiness_detail(self, dossier) -> ReadinessSerializer:
        readiness = self.context["readiness"]
        return ReadinessSerializer({"score": readiness.score, "missing": [str(label) for label in readiness.missing]}).data

    def get_allowed_moves(self, dossier) -> list[str]:
        return list(self.context["allowed_moves"])


class MoveSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=DossierStatus.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class FundingOpportunitySerializer(serializers.ModelSerializer):
    types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    # A web address, or "" when the catalogue has none (so not format "uri", which "" breaks).
    source_url = serializers.CharField(read_only=True)

    class Meta:
        model = FundingOpportunity
        fields = [
            "id", "name", "funder_name", "types", "target_groups", "youth_min_age", "youth_max_age",
            "amount_min", "amount_max", "currency", "amount_min_xof", "amount_max_xof",
            "max_share_funded_percent", "min_own_contribution_percent", "status", "deadline", "is_rolling",
            "description", "source_url", "last_verified_on",
        ]
        read_only_fields = fields


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    outcome = serializers.CharField()
    explanation = serializers.CharField()


class FundingMatchSerializer(serializers.Serializer):
    opportunity = serializers.IntegerField(source="terms.pk")
    name = serializers.CharField(source="terms.name")
    verdict = serializers.CharField()
    criteria = CriterionSerializer(many=True)
