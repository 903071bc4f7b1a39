"""Eligibility of a project dossier for funding opportunities, explained rule by rule.

A pure module: no database, no request. ``DossierFacts`` says what is known of a dossier
and its promoter; ``OpportunityTerms`` what a programme asks (built by
``projects.funding.selectors.opportunity_terms``). ``evaluate`` checks every rule and says, for
each criterion, pass, fail or unknown, why, and what to change to become eligible.

Hard rules (sector, territory, amount, own contribution, target group, kind of
promoter, deadline) exclude when they fail; soft rules (documents) only rank. An
unknown fact never excludes: it ranks lower and says what to record.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from hom.formatting import format_fcfa
from projects.funding.models import FundingStatus, RequiredDocument, TargetGroupCode

# Age bounds of "youth" when a programme targets young people without saying which ages.
DEFAULT_YOUTH_AGES = (18, 35)


class PromoterSituation(models.TextChoices):
    """Same values as ``migrants.models.Situation``."""

    IN_SENEGAL = "in_senegal", gettext_lazy("Living in Senegal")
    ABROAD = "abroad", gettext_lazy("Living abroad")
    RETURNED = "returned", gettext_lazy("Returned")
    PLANNING_TO_LEAVE = "planning", gettext_lazy("Planning to leave")


class PromoterKind(models.TextChoices):
    """Who applies. A context, since the same words describe a dossier's kind (another gender in French)."""

    INDIVIDUAL = "individual", pgettext_lazy("kind of promoter", "Individual")
    FAMILY = "family", pgettext_lazy("kind of promoter", "Family")
    COLLECTIVE = "collective", pgettext_lazy("kind of promoter", "Collective or group (GIE)")
    COMMUNITY = "community", pgettext_lazy("kind of promoter", "Community")
    ASSOCIATION = "association", pgettext_lazy("kind of promoter", "Association")
    COMPANY = "company", pgettext_lazy("kind of promoter", "Company")


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    ELIGIBLE = "eligible"  # every criterion passes
    POSSIBLE = "possible"  # no hard rule fails, but something is unknown or a soft rule fails
    NOT_ELIGIBLE = "not_eligible"  # a hard rule fails


PERSON_GROUPS = (
    TargetGroupCode.DIASPORA,
    TargetGroupCode.RETURNEES,
    TargetGroupCode.POTENTIAL_MIGRANTS,
    TargetGroupCode.WOMEN,
    TargetGroupCode.YOUTH,
)
KINDS_OF_GROUP = {
    TargetGroupCode.ASSOCIATIONS: {PromoterKind.ASSOCIATION},
    TargetGroupCode.COLLECTIVES: {PromoterKind.COLLECTIVE, PromoterKind.FAMILY, PromoterKind.COMMUNITY},
    TargetGroupCode.COMPANIES: {PromoterKind.COMPANY},
}
SITUATION_OF_GROUP = {
    TargetGroupCode.DIASPORA: PromoterSituation.ABROAD,
    TargetGroupCode.RETURNEES: PromoterSituation.RETURNED,
    TargetGroupCode.POTENTIAL_MIGRANTS: PromoterSituation.PLANNING_TO_LEAVE,
}


@dataclass(frozen=True)
class DossierFacts:
    """What is known of a dossier and its promoter; ``None`` means not recorded."""

    sector_code: str | None = None
    commune_code: str | None = None
    region_code: str | None = None
    amount_sought: int | None = None  # FCFA
    own_contribution_percent: float | None = None
    promoter_situation: str | None = None  # PromoterSituation
    sex: str | None = None  # "F" or "M"
    age: int | None = None
    promoter_kind: str | None = None  # PromoterKind
    document_codes: frozenset[str] = frozenset()
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class OpportunityTerms:
    """The rules of one opportunity, as plain values."""

    pk: int | None
    name: str
    status: str = FundingStatus.OPEN
    deadline: date | None = None
    is_rolling: bool = False
    eligible_sector_codes: frozenset[str] = frozenset()
    excluded_sector_codes: frozenset[str] = frozenset()
    eligible_region_codes: frozenset[str] = frozenset()
    eligible_commune_codes: frozenset[str] = frozenset()
    amount_min_xof: int | None = None
    amount_max_xof: int | None = None
    required_own_contribution_percent: int | None = None
    target_group_codes: frozenset[str] = frozenset()
    youth_min_age: int | None = None
    youth_max_age: int | None = None
    required_document_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionResult:
    code: str
    label: str
    outcome: Outcome
    hard: bool
    explanation: str
    to_become_eligible: str = ""

    @property
    def excludes(self) -> bool:
        return self.hard and self.outcome == Outcome.FAIL


@dataclass(frozen=True)
class Match:
    terms: OpportunityTerms
    criteria: tuple[CriterionResult, ...]

    @property
    def verdict(self) -> Verdict:
        if any(criterion.excludes for criterion in self.criteria):
            return Verdict.NOT_ELIGIBLE
        if all(criterion.outcome == Outcome.PASS for criterion in self.criteria):
            return Verdict.ELIGIBLE
        return Verdict.POSSIBLE

    @property
    def is_excluded(self) -> bool:
        return self.verdict == Verdict.NOT_ELIGIBLE

    @property
    def failed(self) -> list[CriterionResult]:
        return [criterion for criterion in self.criteria if criterion.outcome == Outcome.FAIL]

    @property
    def unknown(self) -> list[CriterionResult]:
        return [criterion for criterion in self.criteria if criterion.outcome == Outcome.UNKNOWN]

    def criterion(self, code: str) -> CriterionResult:
        return next(criterion for criterion in self.criteria if criterion.code == code)

    @property
    def sort_key(self):
        order = {Verdict.ELIGIBLE: 0, Verdict.POSSIBLE: 1, Verdict.NOT_ELIGIBLE: 2}[self.verdict]
        return (
            order,
            sum(criterion.excludes for criterion in self.criteria),
            len(self.failed) + len(self.unknown),
            self.terms.deadline is None,
            self.terms.deadline or date.max,
            self.terms.name,
        )


def _names(codes: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(sorted(str(names.get(code, code)) for code in codes))


def _group_names(codes: Iterable[str]) -> str:
    labels = dict(TargetGroupCode.choices)
    return ", ".join(str(labels[code]) for code in TargetGroupCode.values if code in set(codes))


@dataclass(frozen=True)
class _Criterion:
    """One criterion being checked: builds its result with the right code, label and weight."""

    code: str
    label: str
    hard: bool = True

    def passes(self, explanation) -> CriterionResult:
        return CriterionResult(self.code, str(self.label), Outcome.PASS, self.hard, str(explanation))

    def fails(self, explanation, to_become_eligible) -> CriterionResult:
        return CriterionResult(
            self.code, str(self.label), Outcome.FAIL, self.hard, str(explanation), str(to_become_eligible)
        )

    def unknown(self, explanation, to_become_eligible) -> CriterionResult:
        return CriterionResult(
            self.code, str(self.label), Outcome.UNKNOWN, self.hard, str(explanation), str(to_become_eligible)
        )


def _place_name(facts: DossierFacts, names: Mapping[str, str]) -> str:
    for code in (facts.commune_code, facts.region_code):
        if code:
            return names.get(code, code)
    return ""


def _youth_ages(terms: OpportunityTerms) -> tuple[int, int]:
    low = terms.youth_min_age if terms.youth_min_age is not None else DEFAULT_YOUTH_AGES[0]
    high = terms.youth_max_age if terms.youth_max_age is not None else DEFAULT_YOUTH_AGES[1]
    return low, high


def check_sector(facts: DossierFacts, terms: OpportunityTerms, names: Mapping[str, str]) -> CriterionResult:
    criterion = _Criterion("sector", _("Sector"))
    if facts.sector_code is None:
        return criterion.unknown(_("The dossier's sector is not recorded."), _("Record the dossier's sector."))
    sector = names.get(facts.sector_code, facts.sector_code)
    if facts.sector_code in terms.excluded_sector_codes:
        return criterion.fails(
            _("This programme excludes the sector %(sector)s.") % {"sector": sector},
            _("No change makes this dossier eligible: the sector is excluded."),
        )
    if terms.eligible_sector_codes and facts.sector_code not in terms.eligible_sector_codes:
        sectors = _names(terms.eligible_sector_codes, names)
        return criterion.fails(
            _("This programme funds only these sectors: %(sectors)s; the dossier is in %(sector)s.")
            % {"sectors": sectors, "sector": sector},
            _("Only projects in these sectors are eligible: %(sectors)s.") % {"sectors": sectors},
        )
    return criterion.passes(_("The sector %(sector)s is eligible.") % {"sector": sector})


def check_territory(facts: DossierFacts, terms: OpportunityTerms, names: Mapping[str, str]) -> CriterionResult:
    criterion = _Criterion("territory", _("Place of the project"))
    places = terms.eligible_region_codes | terms.eligible_commune_codes
    if not places:
        return criterion.passes(_("Projects anywhere in Senegal are eligible."))
    place = _place_name(facts, names)
    if facts.commune_code in terms.eligible_commune_codes or facts.region_code in terms.eligible_region_codes:
        return criterion.passes(_("The project's place (%(place)s) is eligible.") % {"place": place})
    listed = _names(places, names)
    if not place:
        return criterion.unknown(
            _("The commune of the project is not recorded; this programme is limited to: %(places)s.")
            % {"places": listed},
            _("Record the commune where the project will be set up."),
        )
    return criterion.fails(
        _("This programme is limited to: %(places)s; the project is in %(place)s.")
        % {"places": listed, "place": place},
        _("Only projects located in these places are eligible: %(places)s.") % {"places": listed},
    )


def check_amount(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    criterion = _Criterion("amount", _("Amount sought"))
    if terms.amount_min_xof is None and terms.amount_max_xof is None:
        return criterion.unknown(
            _("The programme publishes no amounts."), _("Ask the funder which amounts it finances.")
        )
    if facts.amount_sought is None:
        return criterion.unknown(_("The amount sought is not recorded."), _("Record the amount sought."))
    sought = format_fcfa(facts.amount_sought)
    if terms.amount_min_xof is not None and facts.amount_sought < terms.amount_min_xof:
        minimum = format_fcfa(terms.amount_min_xof)
        return criterion.fails(
            _("%(sought)s is below the minimum of %(minimum)s.") % {"sought": sought, "minimum": minimum},
            _("Seek at least %(minimum)s.") % {"minimum": minimum},
        )
    if terms.amount_max_xof is not None and facts.amount_sought > terms.amount_max_xof:
        maximum = format_fcfa(terms.amount_max_xof)
        return criterion.fails(
            _("%(sought)s is above the maximum of %(maximum)s.") % {"sought": sought, "maximum": maximum},
            _("Seek at most %(maximum)s and finance the rest from other sources.") % {"maximum": maximum},
        )
    return criterion.passes(_("%(sought)s is within the programme's range.") % {"sought": sought})


def check_own_contribution(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    criterion = _Criterion("own_contribution", _("Own contribution"))
    required = terms.required_own_contribution_percent
    if required is None:
        return criterion.passes(_("The programme publishes no minimum own contribution."))
    if facts.own_contribution_percent is None:
        return criterion.unknown(
            _("The programme asks for at least %(required)s %% of own contribution; the dossier's is not recorded.")
            % {"required": required},
            _("Record the financing plan with the promoter's own contribution."),
        )
    values = {"share": f"{facts.own_contribution_percent:g}", "required": required}
    if facts.own_contribution_percent < required:
        return criterion.fails(
            _("The own contribution (%(share)s %%) is below the %(required)s %% required.") % values,
            _("Raise the own contribution to at least %(required)s %% of the project's cost.") % values,
        )
    return criterion.passes(_("The own contribution (%(share)s %%) meets the %(required)s %% required.") % values)


def _belongs(facts: DossierFacts, group: str, terms: OpportunityTerms) -> bool | None:
    """Whether the promoter is in ``group``; None when the facts needed are not recorded."""
    if group in SITUATION_OF_GROUP:
        return None if facts.promoter_situation is None else facts.promoter_situation == SITUATION_OF_GROUP[group]
    if group == TargetGroupCode.WOMEN:
        return None if facts.sex is None else facts.sex == "F"
    if group == TargetGroupCode.YOUTH:
        low, high = _youth_ages(terms)
        return None if facts.age is None else low <= facts.age <= high
    raise ValueError(group)


def check_target_group(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    """Programmes aimed at several groups accept a promoter of any one of them."""
    criterion = _Criterion("target_group", _("Target group"))
    groups = [group for group in PERSON_GROUPS if group in terms.target_group_codes]
    if not groups:
        return criterion.passes(_("The programme is open to every promoter."))
    wanted = _group_names(groups)
    if TargetGroupCode.YOUTH in groups:
        low, high = _youth_ages(terms)
        wanted = _("%(groups)s (youth: %(low)s to %(high)s years)") % {"groups": wanted, "low": low, "high": high}
    answers = {group: _belongs(facts, group, terms) for group in groups}
    matched = [group for group, answer in answers.items() if answer]
    if matched:
        return criterion.passes(
            _("The promoter belongs to a group this programme targets: %(groups)s.") % {"groups": _group_names(matched)}
        )
    if None in answers.values():
        return criterion.unknown(
            _("The programme targets: %(groups)s; the promoter's profile is incomplete.") % {"groups": wanted},
            _("Record the promoter's situation, sex and age."),
        )
    return criterion.fails(
        _("The programme targets: %(groups)s; the promoter is none of these.") % {"groups": wanted},
        _("Apply with a promoter who is one of: %(groups)s.") % {"groups": wanted},
    )


def check_promoter_kind(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    criterion = _Criterion("promoter_kind", _("Kind of promoter"))
    groups = [group for group in KINDS_OF_GROUP if group in terms.target_group_codes]
    if not groups:
        return criterion.passes(_("Every kind of promoter may apply."))
    wanted = _group_names(groups)
    if facts.promoter_kind is None:
        return criterion.unknown(
            _("The programme funds only: %(kinds)s; the kind of promoter is not recorded.") % {"kinds": wanted},
            _("Record whether the promoter is an individual, a group, an association or a company."),
        )
    allowed = set().union(*(KINDS_OF_GROUP[group] for group in groups))
    kind = dict(PromoterKind.choices).get(facts.promoter_kind, facts.promoter_kind)
    if facts.promoter_kind not in allowed:
        return criterion.fails(
            _("The programme funds only: %(kinds)s; the promoter is: %(kind)s.") % {"kinds": wanted, "kind": kind},
            _("Apply through one of: %(kinds)s.") % {"kinds": wanted},
        )
    return criterion.passes(_("The programme funds promoters of this kind: %(kind)s.") % {"kind": kind})


def check_deadline(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    criterion = _Criterion("deadline", _("Deadline"))
    if terms.status == FundingStatus.CLOSED:
        return criterion.fails(_("The programme is closed."), _("Wait for a new call for applications."))
    if terms.status == FundingStatus.UPCOMING:
        return criterion.unknown(
            _("The programme has not opened yet."), _("Prepare the dossier and apply when the call opens.")
        )
    if terms.deadline is not None:
        deadline = {"deadline": date_format(terms.deadline, "SHORT_DATE_FORMAT")}
        if terms.deadline < facts.today:
            return criterion.fails(
                _("The deadline (%(deadline)s) has passed.") % deadline, _("Wait for a new call for applications.")
            )
        return criterion.passes(_("Apply before %(deadline)s.") % deadline)
    if terms.is_rolling:
        return criterion.passes(_("Applications are accepted at any time."))
    return criterion.passes(_("The programme is open; no deadline is published."))


def check_documents(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    """Soft: a missing document is added in days, so it ranks the programme but never excludes it."""
    criterion = _Criterion("documents", _("Documents"), hard=False)
    if not terms.required_document_codes:
        return criterion.passes(_("The programme publishes no list of documents."))
    labels = dict(RequiredDocument.choices)
    missing = [code for code in terms.required_document_codes if code not in facts.document_codes]
    if missing:
        documents = {"documents": ", ".join(str(labels.get(code, code)) for code in missing)}
        return criterion.fails(_("Missing documents: %(documents)s.") % documents, _("Add: %(documents)s.") % documents)
    return criterion.passes(_("Every required document is in the dossier."))


def evaluate(facts: DossierFacts, terms: OpportunityTerms, *, names: Mapping[str, str] | None = None) -> Match:
    """Check every rule of one opportunity against the dossier. ``names`` maps codes to display names."""
    names = names or {}
    return Match(
        terms=terms,
        criteria=(
            check_sector(facts, terms, names),
            check_territory(facts, terms, names),
            check_amount(facts, terms),
            check_own_contribution(facts, terms),
            check_target_group(facts, terms),
            check_promoter_kind(facts, terms),
            check_deadline(facts, terms),
            check_documents(facts, terms),
        ),
    )


def match_opportunities(
    facts: DossierFacts, opportunities: Iterable[OpportunityTerms], *, names: Mapping[str, str] | None = None
) -> list[Match]:
    """Every opportunity checked, eligible first, then possible, then excluded; fewer gaps first."""
    matches = (evaluate(facts, terms, names=names) for terms in opportunities)
    return sorted(matches, key=lambda match: match.sort_key)
