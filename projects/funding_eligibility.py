"""Eligibility of a project dossier for funding opportunities, explained rule by rule.

A pure module: no database, no request. ``DossierFacts`` says what is known of a dossier
and its promoter; ``OpportunityTerms`` what a programme asks (built by
``funding_selectors.opportunity_terms``). ``evaluate`` checks every rule and says, for
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
from django.utils.translation import gettext_lazy

from hom.formatting import format_fcfa

from .funding_models import FundingStatus, RequiredDocument, TargetGroupCode

# Age bounds of "youth" when a programme targets young people without saying which ages.
DEFAULT_YOUTH_AGES = (18, 35)


class PromoterSituation(models.TextChoices):
    """Same values as ``migrants.models.Situation``."""

    IN_SENEGAL = "in_senegal", gettext_lazy("Living in Senegal")
    ABROAD = "abroad", gettext_lazy("Living abroad")
    RETURNED = "returned", gettext_lazy("Returned")
    PLANNING_TO_LEAVE = "planning", gettext_lazy("Planning to leave")


class PromoterKind(models.TextChoices):
    INDIVIDUAL = "individual", gettext_lazy("Individual")
    FAMILY = "family", gettext_lazy("Family")
    COLLECTIVE = "collective", gettext_lazy("Collective or group (GIE)")
    COMMUNITY = "community", gettext_lazy("Community")
    ASSOCIATION = "association", gettext_lazy("Association")
    COMPANY = "company", gettext_lazy("Company")


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


def _result(code, label, outcome, hard, explanation, to_become_eligible=""):
    return CriterionResult(code, str(label), outcome, hard, str(explanation), str(to_become_eligible))


def check_sector(facts: DossierFacts, terms: OpportunityTerms, names: Mapping[str, str]) -> CriterionResult:
    label = _("Sector")
    if facts.sector_code is None:
        return _result("sector", label, Outcome.UNKNOWN, True, _("The dossier's sector is not recorded."), _("Record the dossier's sector."))
    sector = names.get(facts.sector_code, facts.sector_code)
    if facts.sector_code in terms.excluded_sector_codes:
        return _result(
            "sector", label, Outcome.FAIL, True,
            _("This programme excludes the sector %(sector)s.") % {"sector": sector},
            _("No change makes this dossier eligible: the sector is excluded."),
        )
    if terms.eligible_sector_codes and facts.sector_code not in terms.eligible_sector_codes:
        return _result(
            "sector", label, Outcome.FAIL, True,
            _("This programme funds only these sectors: %(sectors)s; the dossier is in %(sector)s.")
            % {"sectors": _names(terms.eligible_sector_codes, names), "sector": sector},
            _("Only projects in these sectors are eligible: %(sectors)s.") % {"sectors": _names(terms.eligible_sector_codes, names)},
        )
    return _result("sector", label, Outcome.PASS, True, _("The sector %(sector)s is eligible.") % {"sector": sector})


def check_territory(facts: DossierFacts, terms: OpportunityTerms, names: Mapping[str, str]) -> CriterionResult:
    label = _("Place of the project")
    places = terms.eligible_region_codes | terms.eligible_commune_codes
    if not places:
        return _result("territory", label, Outcome.PASS, True, _("Projects anywhere in Senegal are eligible."))
    if facts.commune_code in terms.eligible_commune_codes or facts.region_code in terms.eligible_region_codes:
        place = names.get(facts.commune_code or "", None) or names.get(facts.region_code or "", None) or facts.commune_code or facts.region_code
        return _result("territory", label, Outcome.PASS, True, _("The project's place (%(place)s) is eligible.") % {"place": place})
    if facts.commune_code is None and facts.region_code is None:
        return _result(
            "territory", label, Outcome.UNKNOWN, True,
            _("The commune of the project is not recorded; this programme is limited to: %(places)s.") % {"places": _names(places, names)},
            _("Record the commune where the project will be set up."),
        )
    place = names.get(facts.commune_code or "", None) or names.get(facts.region_code or "", None) or facts.commune_code or facts.region_code
    return _result(
        "territory", label, Outcome.FAIL, True,
        _("This programme is limited to: %(places)s; the project is in %(place)s.") % {"places": _names(places, names), "place": place},
        _("Only projects located in these places are eligible: %(places)s.") % {"places": _names(places, names)},
    )


def check_amount(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    label = _("Amount sought")
    if terms.amount_min_xof is None and terms.amount_max_xof is None:
        return _result(
            "amount", label, Outcome.UNKNOWN, True,
            _("The programme publishes no amounts."), _("Ask the funder which amounts it finances."),
        )
    if facts.amount_sought is None:
        return _result("amount", label, Outcome.UNKNOWN, True, _("The amount sought is not recorded."), _("Record the amount sought."))
    sought = format_fcfa(facts.amount_sought)
    if terms.amount_min_xof is not None and facts.amount_sought < terms.amount_min_xof:
        minimum = format_fcfa(terms.amount_min_xof)
        return _result(
            "amount", label, Outcome.FAIL, True,
            _("%(sought)s is below the minimum of %(minimum)s.") % {"sought": sought, "minimum": minimum},
            _("Seek at least %(minimum)s.") % {"minimum": minimum},
        )
    if terms.amount_max_xof is not None and facts.amount_sought > terms.amount_max_xof:
        maximum = format_fcfa(terms.amount_max_xof)
        return _result(
            "amount", label, Outcome.FAIL, True,
            _("%(sought)s is above the maximum of %(maximum)s.") % {"sought": sought, "maximum": maximum},
            _("Seek at most %(maximum)s and finance the rest from other sources.") % {"maximum": maximum},
        )
    return _result("amount", label, Outcome.PASS, True, _("%(sought)s is within the programme's range.") % {"sought": sought})


def check_own_contribution(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    label = _("Own contribution")
    required = terms.required_own_contribution_percent
    if required is None:
        return _result("own_contribution", label, Outcome.PASS, True, _("The programme publishes no minimum own contribution."))
    if facts.own_contribution_percent is None:
        return _result(
            "own_contribution", label, Outcome.UNKNOWN, True,
            _("The programme asks for at least %(required)s %% of own contribution; the dossier's is not recorded.") % {"required": required},
            _("Record the financing plan with the promoter's own contribution."),
        )
    share = f"{facts.own_contribution_percent:g}"
    if facts.own_contribution_percent < required:
        return _result(
            "own_contribution", label, Outcome.FAIL, True,
            _("The own contribution (%(share)s %%) is below the %(required)s %% required.") % {"share": share, "required": required},
            _("Raise the own contribution to at least %(required)s %% of the project's cost.") % {"required": required},
        )
    return _result(
        "own_contribution", label, Outcome.PASS, True,
        _("The own contribution (%(share)s %%) meets the %(required)s %% required.") % {"share": share, "required": required},
    )


def _belongs(facts: DossierFacts, group: str, terms: OpportunityTerms) -> bool | None:
    if group in SITUATION_OF_GROUP:
        return None if facts.promoter_situation is None else facts.promoter_situation == SITUATION_OF_GROUP[group]
    if group == TargetGroupCode.WOMEN:
        return None if facts.sex is None else facts.sex == "F"
    if group == TargetGroupCode.YOUTH:
        if facts.age is None:
            return None
        low = terms.youth_min_age if terms.youth_min_age is not None else DEFAULT_YOUTH_AGES[0]
        high = terms.youth_max_age if terms.youth_max_age is not None else DEFAULT_YOUTH_AGES[1]
        return low <= facts.age <= high
    raise ValueError(group)


def check_target_group(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    label = _("Target group")
    groups = [group for group in PERSON_GROUPS if group in terms.target_group_codes]
    if not groups:
        return _result("target_group", label, Outcome.PASS, True, _("The programme is open to every promoter."))
    wanted = _group_names(groups)
    if TargetGroupCode.YOUTH in groups:
        low = terms.youth_min_age if terms.youth_min_age is not None else DEFAULT_YOUTH_AGES[0]
        high = terms.youth_max_age if terms.youth_max_age is not None else DEFAULT_YOUTH_AGES[1]
        wanted = _("%(groups)s (youth: %(low)s to %(high)s years)") % {"groups": wanted, "low": low, "high": high}
    answers = {group: _belongs(facts, group, terms) for group in groups}
    matched = [group for group, answer in answers.items() if answer]
    if matched:
        return _result(
            "target_group", label, Outcome.PASS, True,
            _("The promoter belongs to a group this programme targets: %(groups)s.") % {"groups": _group_names(matched)},
        )
    if any(answer is None for answer in answers.values()):
        return _result(
            "target_group", label, Outcome.UNKNOWN, True,
            _("The programme targets: %(groups)s; the promoter's profile is incomplete.") % {"groups": wanted},
            _("Record the promoter's situation, sex and age."),
        )
    return _result(
        "target_group", label, Outcome.FAIL, True,
        _("The programme targets: %(groups)s; the promoter is none of these.") % {"groups": wanted},
        _("Apply with a promoter who is one of: %(groups)s.") % {"groups": wanted},
    )


def check_promoter_kind(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    label = _("Kind of promoter")
    groups = [group for group in KINDS_OF_GROUP if group in terms.target_group_codes]
    if not groups:
        return _result("promoter_kind", label, Outcome.PASS, True, _("Every kind of promoter may apply."))
    wanted = _group_names(groups)
    if facts.promoter_kind is None:
        return _result(
            "promoter_kind", label, Outcome.UNKNOWN, True,
            _("The programme funds only: %(kinds)s; the kind of promoter is not recorded.") % {"kinds": wanted},
            _("Record whether the promoter is an individual, a group, an association or a company."),
        )
    allowed = set().union(*(KINDS_OF_GROUP[group] for group in groups))
    kind = dict(PromoterKind.choices).get(facts.promoter_kind, facts.promoter_kind)
    if facts.promoter_kind not in allowed:
        return _result(
            "promoter_kind", label, Outcome.FAIL, True,
            _("The programme funds only: %(kinds)s; the promoter is: %(kind)s.") % {"kinds": wanted, "kind": kind},
            _("Apply through one of: %(kinds)s.") % {"kinds": wanted},
        )
    return _result("promoter_kind", label, Outcome.PASS, True, _("The programme funds promoters of this kind: %(kind)s.") % {"kind": kind})


def check_deadline(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    label = _("Deadline")
    if terms.status == FundingStatus.CLOSED:
        return _result("deadline", label, Outcome.FAIL, True, _("The programme is closed."), _("Wait for a new call for applications."))
    if terms.status == FundingStatus.UPCOMING:
        return _result(
            "deadline", label, Outcome.UNKNOWN, True,
            _("The programme has not opened yet."), _("Prepare the dossier and apply when the call opens."),
        )
    if terms.deadline is not None:
        deadline = date_format(terms.deadline, "SHORT_DATE_FORMAT")
        if terms.deadline < facts.today:
            return _result(
                "deadline", label, Outcome.FAIL, True,
                _("The deadline (%(deadline)s) has passed.") % {"deadline": deadline}, _("Wait for a new call for applications."),
            )
        return _result("deadline", label, Outcome.PASS, True, _("Apply before %(deadline)s.") % {"deadline": deadline})
    if terms.is_rolling:
        return _result("deadline", label, Outcome.PASS, True, _("Applications are accepted at any time."))
    return _result("deadline", label, Outcome.PASS, True, _("The programme is open; no deadline is published."))


def check_documents(facts: DossierFacts, terms: OpportunityTerms) -> CriterionResult:
    label = _("Documents")
    if not terms.required_document_codes:
        return _result("documents", label, Outcome.PASS, False, _("The programme publishes no list of documents."))
    labels = dict(RequiredDocument.choices)
    missing = [code for code in terms.required_document_codes if code not in facts.document_codes]
    if missing:
        missing_names = ", ".join(str(labels.get(code, code)) for code in missing)
        return _result(
            "documents", label, Outcome.FAIL, False,
            _("Missing documents: %(documents)s.") % {"documents": missing_names},
            _("Add: %(documents)s.") % {"documents": missing_names},
        )
    return _result("documents", label, Outcome.PASS, False, _("Every required document is in the dossier."))


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
    return sorted((evaluate(facts, terms, names=names) for terms in opportunities), key=lambda match: match.sort_key)
