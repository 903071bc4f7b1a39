"""Shapes of organisations, introductions and conventions in the API."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..conventions.models import Convention, ConventionParty, ReportItem
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


# --- Conventions ---------------------------------------------------------------------------


class ConventionPartySerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ConventionParty
        fields = ["id", "organisation", "organisation_name", "role", "responsibilities", "signatory_name",
                  "signatory_title", "signed_on"]
        read_only_fields = fields


class ConventionSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code", read_only=True)
    parties = ConventionPartySerializer(many=True, read_only=True)

    class Meta:
        model = Convention
        fields = ["id", "title", "objectives", "status", "status_changed_on", "starts_on", "ends_on", "office",
                  "parties", "created_at", "updated_at"]
        read_only_fields = fields


class PartyCommittedSerializer(serializers.Serializer):
    party = serializers.IntegerField(help_text=_("The party's id (see parties)."))
    committed = serializers.IntegerField(help_text=_("What the party commits to this line, in FCFA."))


class BudgetLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.CharField()
    amount = serializers.IntegerField(help_text=_("The line's amount, in FCFA."))
    committed = serializers.IntegerField(help_text=_("Committed by all parties, in FCFA."))
    paid = serializers.IntegerField(help_text=_("Paid so far by all parties, in FCFA."))
    by_party = PartyCommittedSerializer(many=True)


class PartyTotalsSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    organisation_name = serializers.CharField()
    committed = serializers.IntegerField()
    paid = serializers.IntegerField()
    cash = serializers.IntegerField()
    in_kind = serializers.IntegerField()


class ConventionBudgetSerializer(serializers.Serializer):
    lines = BudgetLineSerializer(many=True)
    parties = PartyTotalsSerializer(many=True)
    total_amount = serializers.IntegerField()
    total_committed = serializers.IntegerField()
    total_paid = serializers.IntegerField()
    uncovered = serializers.IntegerField(help_text=_("The budget no party has committed yet, in FCFA."))

    @staticmethod
    def shape(budget) -> dict:
        """The page's budget table (``convention_budget``) as plain data."""
        return {
            "lines": [
                {"id": line.pk, "activity": line.activity, "amount": line.amount, "committed": line.committed,
                 "paid": line.paid,
                 "by_party": [{"party": party.pk, "committed": value} for party, value in zip(budget.parties, values,
                                                                                               strict=True)]}
                for line, values in budget.rows
            ],
            "parties": [
                {"party": party.pk, "organisation_name": party.organisation.name, "committed": party.committed,
                 "paid": party.paid, "cash": party.cash, "in_kind": party.in_kind}
                for party in budget.parties
            ],
            "total_amount": budget.total_amount, "total_committed": budget.total_committed,
            "total_paid": budget.total_paid, "uncovered": budget.uncovered,
        }


class ReportItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="obligation.title", read_only=True)
    organisation_name = serializers.CharField(source="party.organisation.name", read_only=True)
    late = serializers.SerializerMethodField()
    may_upload = serializers.SerializerMethodField()

    class Meta:
        model = ReportItem
        fields = ["id", "convention", "title", "party", "organisation_name", "due_on", "status", "late",
                  "may_upload", "original_name", "content_type", "size", "submitted_at", "accepted_at", "comment"]
        read_only_fields = fields

    def get_late(self, item) -> bool:
        late = getattr(item, "late", None)
        return item.is_late() if late is None else bool(late)

    def get_may_upload(self, item) -> bool:
        """Whether the caller may send this report now (their organisation owes it, not approved)."""
        return item.pk in self.context.get("uploadable", ())


class ConventionDetailSerializer(ConventionSerializer):
    parties = ConventionPartySerializer(many=True, read_only=True, source="parties_in_order")
    budget = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()

    class Meta(ConventionSerializer.Meta):
        fields = [*ConventionSerializer.Meta.fields, "budget", "reports"]
        read_only_fields = fields

    def get_budget(self, convention) -> ConventionBudgetSerializer:
        return ConventionBudgetSerializer.shape(self.context["budget"])

    @extend_schema_field(ReportItemSerializer(many=True))
    def get_reports(self, convention):
        return ReportItemSerializer(self.context["reports"], many=True, context=self.context).data


class ReportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The report: PDF, JPEG, PNG, DOCX or XLSX, 10 MB at most."))
