"""The commune profile: every office's figures for one commune, perturbed, no person's name.

The profile is public: its counts are perturbed by their cell keys like an authority's
report (``privacy.py``), so that the same cell reads the same here and in any report.

The same page serves the public and, signed in, the ARD's staff and the commune's own
authority (``full``): they also see the associations serving the commune that are not
published in the directory. Everyone sees only cards of organisations (no contact person),
the parties of conventions (institutions), and projects looking for partners without
anything about their promoter.
"""
from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hom.accounts.models import Role
from hom.reports.models import CommuneProfile
from hom.reports.selectors.outcomes import results_impact
from hom.reports.selectors.visits import all_dossiers_by_sector_and_stage
from hom.reports.tables import Table
from hom.territories.models import Commune
from migrants.models import Migrant, Visit
from partnerships.conventions.models import Contribution, Convention, ConventionParty, ConventionStatus
from partnerships.cooperation.models import OPEN_COOPERATION_STATUSES, CooperationIntroduction, CooperationPurpose
from partnerships.cooperation.selectors import cooperation_partners_of
from partnerships.diaspora import diaspora_for_countries
from partnerships.models import Organisation
from projects.funding.models import GRANTED_STATUSES, ApplicationStatus, FundingApplication, FundingOpportunity
from projects.funding.selectors import opportunities_open_on
from projects.models import DossierStatus, ProjectDossier
from projects.selectors import with_totals

MAIN_NEEDS = 5


def communes_editable_by(user):
    """Communes whose profile ``user`` keeps: those of their office's region; all for a national admin."""
    if not user.is_authenticated or not user.is_office_staff:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    return Commune.objects.filter(department__region_id=user.office.region_id)


def migrants_by_country(commune) -> Table:
    return _by_country(commune)[0]


def _by_country(commune) -> tuple[Table, list[str]]:
    """The table of the commune's persons by country of residence, and each row's country code."""
    rows = (
        Migrant.objects.filter(commune_of_origin=commune)
        .values("country_of_residence")
        .annotate(count=Count("pk"), keys=Sum("record_key"))
        .order_by()
    )
    counts = {row["country_of_residence"] or "": (row["count"], row["keys"]) for row in rows}
    codes = sorted((code for code in counts if code), key=lambda code: (-counts[code][0], code))
    labels = [countries.name(code) or code for code in codes]
    if "" in counts:
        codes.append("")
        labels.append(_("Not recorded"))
    table = Table(
        key="residence",
        title=_("Migrants registered, by country of residence"),
        row_heading=_("Country of residence"),
        columns=[_("Persons")],
        row_labels=labels,
        body=[[counts[code][0]] for code in codes],
        keys=[[counts[code][1]] for code in codes],
        column_totals=True,
        perturbed=True,
    )
    return table, codes


def diaspora_where_commune_lives(table: Table, codes: list[str]) -> list:
    """The diaspora estimates (reference data) of the countries where the commune's persons live.

    A country is named only when its published (perturbed) count is shown and not zero: a
    hidden cell stays hidden here too, so the list tells nothing the table above does not.
    """
    shown = [code for row, code in enumerate(codes) if code and table.published(row, 0)]
    return diaspora_for_countries(shown)


def main_needs(commune) -> Table:
    """The needs most often expressed by the commune's people (registered or walk-ins), all years.

    Ranked on the published (perturbed) figures, hidden ones last: an order made on the
    exact counts would tell which of two hidden needs is the larger.
    """
    rows = (
        Visit.objects.filter(Q(migrant__commune_of_origin=commune) | Q(migrant__isnull=True, commune=commune))
        .filter(needs__isnull=False)
        .values("needs__label_fr", "needs__label_en")
        .annotate(visits=Count("pk"), keys=Sum("record_key"))
        .order_by()
    )
    english = (get_language() or "fr").startswith("en")
    every_need = Table(
        key="main_needs", title="", row_heading="", columns=[""],
        row_labels=[row["needs__label_en"] if english else row["needs__label_fr"] for row in rows],
        body=[[row["visits"]] for row in rows], keys=[[row["keys"]] for row in rows], perturbed=True,
    )
    ranked = sorted(
        range(len(every_need.body)),
        key=lambda index: (-(every_need.published(index, 0) or 0), str(every_need.row_labels[index])),
    )[:MAIN_NEEDS]
    return Table(
        key="main_needs",
        title=_("Main needs expressed"),
        row_heading=_("Need"),
        columns=[_("Visits")],
        row_labels=[every_need.row_labels[index] for index in ranked],
        body=[every_need.body[index] for index in ranked],
        keys=[every_need.keys[index] for index in ranked],
        perturbed=True,
    )


def fitting_programmes(commune):
    """Open programmes for the commune (nationwide, its region or itself) and, when the commune's
    dossiers have sectors, for one of them (or for every sector)."""
    through_regions = FundingOpportunity.eligible_regions.through.objects.filter(fundingopportunity=OuterRef("pk"))
    through_communes = FundingOpportunity.eligible_communes.through.objects.filter(fundingopportunity=OuterRef("pk"))
    through_sectors = FundingOpportunity.eligible_sectors.through.objects.filter(fundingopportunity=OuterRef("pk"))
    territory = (
        ~Exists(through_regions) & ~Exists(through_communes)
        | Exists(through_regions.filter(region_id=commune.department.region_id))
        | Exists(through_communes.filter(commune_id=commune.pk))
    )
    programmes = opportunities_open_on(FundingOpportunity.objects.all()).filter(territory)
    sectors = ProjectDossier.objects.filter(commune=commune, sector__isnull=False).values("sector")
    programmes = programmes.filter(~Exists(through_sectors) | Exists(through_sectors.filter(sector__in=sectors)))
    return programmes.order_by("deadline", "name")


def may_edit_profile(user, code: str) -> bool:
    return user.is_authenticated and communes_editable_by(user).filter(code=code).exists()


def profile_with_plan(code: str) -> CommuneProfile:
    """The profile of commune ``code`` holding a local development plan; Http404 otherwise."""
    profile = get_object_or_404(CommuneProfile.objects.select_related("commune"), commune__code=code)
    if not profile.development_plan:
        raise Http404
    return profile


def profile_to_edit(commune) -> CommuneProfile:
    """The commune's profile, or a new unsaved one."""
    return CommuneProfile.objects.filter(commune=commune).first() or CommuneProfile(commune=commune)


# Conventions shown as active on the profile: signed or running, not suspended nor closed.
ACTIVE_CONVENTION_STATUSES = (ConventionStatus.SIGNED, ConventionStatus.ACTIVE)
# Dossiers far enough along to be shown to partners: ready, or already sent to a funder.
ADVANCED_STATUSES = (DossierStatus.READY, DossierStatus.SENT_TO_FUNDER)


def reads_full_profile(user, commune) -> bool:
    """Staff of the ARD, and the commune's own authority, see the associations not yet published."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_office_staff:
        return True
    return user.role == Role.AUTHORITY and user.communes.filter(pk=commune.pk).exists()


def associations_serving(commune, *, full: bool = False):
    """Organisations serving the commune, or its whole department; published ones only unless ``full``."""
    served = Organisation.communes_served.through.objects.filter(commune_id=commune.pk).values("organisation_id")
    by_department = Organisation.departments_served.through.objects.filter(
        department_id=commune.department_id
    ).values("organisation_id")
    organisations = Organisation.objects.filter(Q(pk__in=served) | Q(pk__in=by_department))
    if not full:
        organisations = organisations.filter(is_published=True)
    return organisations.only("name", "acronym", "kind", "country", "city").order_by("name", "pk")


def active_conventions(commune, today=None):
    """Signed or active conventions concerning the commune, not ended, with their parties' organisations."""
    today = today or timezone.localdate()
    parties = ConventionParty.objects.select_related("organisation").only(
        "convention_id", "position", "organisation__name", "organisation__acronym"
    ).order_by("position", "pk")
    return (
        Convention.objects.filter(status__in=ACTIVE_CONVENTION_STATUSES, communes=commune)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .only("title", "starts_on", "ends_on", "status")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("title", "pk")
    )


def funds_mobilised(commune) -> Table:
    """Funding granted and disbursed for the commune's dossiers; budgets committed by its conventions."""
    def total(field, **filters):
        return Coalesce(Sum(field, filter=Q(**filters)), 0, output_field=BigIntegerField())

    funding = FundingApplication.objects.filter(dossier__commune=commune).aggregate(
        granted_count=Count("pk", filter=Q(status__in=GRANTED_STATUSES)),
        granted_keys=total("record_key", status__in=GRANTED_STATUSES),
        granted=total("amount_granted", status__in=GRANTED_STATUSES),
        disbursed_count=Count("pk", filter=Q(status=ApplicationStatus.DISBURSED)),
        disbursed_keys=total("record_key", status=ApplicationStatus.DISBURSED),
        disbursed=total("amount_disbursed", status=ApplicationStatus.DISBURSED),
    )
    conventions = Convention.objects.running().filter(
        pk__in=Convention.communes.through.objects.filter(commune_id=commune.pk).values("convention_id")
    )
    # The conventions with a contribution, counted once each (their keys too), and what they commit.
    contributing = conventions.filter(
        pk__in=Contribution.objects.values("budget_line__convention")
    ).aggregate(count=Count("pk"), keys=Coalesce(Sum("record_key"), 0))
    committed = Contribution.objects.filter(budget_line__convention__in=conventions).aggregate(
        committed=Coalesce(Sum("committed"), 0)
    )
    return Table(
        key="funds",
        title=_("Funds mobilised"),
        row_heading=_("Source"),
        columns=[_("Number"), _("Amount (FCFA)")],
        row_labels=[_("Funding granted"), _("Funding disbursed"), _("Budget committed by running conventions")],
        body=[
            [funding["granted_count"], funding["granted"]],
            [funding["disbursed_count"], funding["disbursed"]],
            [contributing["count"], committed["committed"]],
        ],
        keys=[[funding["granted_keys"], None], [funding["disbursed_keys"], None], [contributing["keys"], None]],
        amount_columns={1: 0},
        perturbed=True,
    )


def cooperation_introductions(commune) -> Table:
    """The commune's cooperation introductions by purpose: under way, and completed (perturbed by their keys)."""
    def count(**filters):
        return Count("pk", filter=Q(**filters))

    def keys(**filters):
        return Coalesce(Sum("record_key", filter=Q(**filters)), 0)

    rows = {
        row["purpose"]: row for row in CooperationIntroduction.objects.filter(commune=commune)
        .values("purpose").annotate(
            open=count(status__in=OPEN_COOPERATION_STATUSES), open_keys=keys(status__in=OPEN_COOPERATION_STATUSES),
            done=count(status="completed"), done_keys=keys(status="completed"),
        ).order_by()
    }
    empty = {"open": 0, "open_keys": 0, "done": 0, "done_keys": 0}
    figures = [rows.get(purpose, empty) for purpose in CooperationPurpose.values]
    return Table(
        key="cooperation",
        title=_("Cooperation introductions"),
        row_heading=_("Purpose"),
        columns=[_("Under way"), _("Completed")],
        row_labels=list(CooperationPurpose.labels),
        body=[[row["open"], row["done"]] for row in figures],
        keys=[[row["open_keys"], row["done_keys"]] for row in figures],
        column_totals=True,
        perturbed=True,
    )


def projects_looking_for_partners(commune):
    """Advanced dossiers of the commune whose promoter consented to sharing and whose plan lacks money.

    Only what a partner needs to get interested: title, sector, the amount still sought
    (budget total above the financing plan). Nothing about the promoter.
    """
    dossiers = ProjectDossier.objects.filter(
        commune=commune,
        status__in=ADVANCED_STATUSES,
        promoter__consent_sharing=True,
        promoter__consent_withdrawn_on__isnull=True,
    )
    return (
        with_totals(dossiers)
        .filter(budget_total__gt=F("financing_total"))
        .annotate(financing_gap=F("budget_total") - F("financing_total"))
        .select_related("sector")
        .only("title", "sector__label_fr", "sector__label_en", "sector__code")
        .order_by("-financing_gap", "pk")
    )


def _published(table: Table) -> Table:
    table.perturbed = True
    return table


def commune_profile_figures(code: str, *, user=None) -> dict:
    commune = get_object_or_404(Commune.objects.with_parents(), code=code)
    full = user is not None and reads_full_profile(user, commune)
    by_country, country_codes = _by_country(commune)
    return {
        "commune": commune,
        "profile": CommuneProfile.objects.filter(commune=commune).first(),
        "diaspora": diaspora_where_commune_lives(by_country, country_codes),
        "tables": [
            by_country,
            main_needs(commune),
            _published(all_dossiers_by_sector_and_stage(ProjectDossier.objects.filter(commune=commune))),
            funds_mobilised(commune),
            _published(results_impact(ProjectDossier.objects.filter(commune=commune))),
            cooperation_introductions(commune),
        ],
        "full": full,
        "associations": associations_serving(commune, full=full),
        "conventions": active_conventions(commune),
        "projects": projects_looking_for_partners(commune),
        "programmes": fitting_programmes(commune),
        "cooperation_partners": cooperation_partners_of(commune),
    }
