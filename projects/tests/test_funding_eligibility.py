"""Eligibility: every rule, on plain facts, then a Sédhiou dossier against the real programmes."""
from dataclasses import replace
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hom.territories.models import Sector
from projects.funding.eligibility import (
    DossierFacts,
    OpportunityTerms,
    Outcome,
    Verdict,
    evaluate,
    match_opportunities,
)
from projects.funding.models import FundingOpportunity
from projects.funding.selectors import funding_matches
from projects.tests.funding_factories import FundingOpportunityFactory

TODAY = date(2026, 11, 27)
SEDHIOU_AGRICULTURE = DossierFacts(
    sector_code="AGRI",
    commune_code="SN1103_SEDHIOU",
    region_code="SN11",
    amount_sought=8_000_000,
    own_contribution_percent=20,
    promoter_situation="returned",
    sex="M",
    age=34,
    promoter_kind="individual",
    document_codes=frozenset({"ID", "BUSINESS_PLAN"}),
    today=TODAY,
)
EIGHT_MILLION, FIVE_MILLION, TEN_MILLION = (
    "8\u202f000\u202f000\u00a0FCFA", "5\u202f000\u202f000\u00a0FCFA", "10\u202f000\u202f000\u00a0FCFA"
)
OPEN_TO_ALL = OpportunityTerms(pk=1, name="Open to all", is_rolling=True, amount_max_xof=10_000_000)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _check(terms, code, facts=SEDHIOU_AGRICULTURE):
    return evaluate(facts, terms).criterion(code)


def test_a_programme_without_rules_is_eligible_on_every_criterion():
    match = evaluate(SEDHIOU_AGRICULTURE, replace(OPEN_TO_ALL, amount_max_xof=10_000_000))

    assert match.verdict == Verdict.ELIGIBLE
    assert {criterion.outcome for criterion in match.criteria} == {Outcome.PASS}
    assert [criterion.code for criterion in match.criteria] == [
        "sector", "territory", "amount", "own_contribution", "target_group", "promoter_kind", "deadline", "documents",
    ]


def test_an_excluded_sector_fails_and_says_so():
    result = _check(replace(OPEN_TO_ALL, excluded_sector_codes=frozenset({"AGRI"})), "sector")

    assert (result.outcome, result.hard) == (Outcome.FAIL, True)
    assert result.explanation == "This programme excludes the sector AGRI."


def test_a_sector_outside_the_list_fails_and_lists_the_eligible_ones():
    terms = replace(OPEN_TO_ALL, eligible_sector_codes=frozenset({"SANTE", "EAU_ENV"}))

    names = {"AGRI": "Agriculture", "SANTE": "Health", "EAU_ENV": "Water"}

    result = evaluate(SEDHIOU_AGRICULTURE, terms, names=names).criterion("sector")

    assert result.outcome == Outcome.FAIL
    assert result.explanation == (
        "This programme funds only these sectors: Health, Water; the dossier is in Agriculture."
    )
    assert result.to_become_eligible == "Only projects in these sectors are eligible: Health, Water."


def test_an_unknown_sector_is_unknown_not_failed():
    terms = replace(OPEN_TO_ALL, eligible_sector_codes=frozenset({"SANTE"}))

    result = _check(terms, "sector", replace(SEDHIOU_AGRICULTURE, sector_code=None))

    assert result.outcome == Outcome.UNKNOWN
    assert result.to_become_eligible == "Record the dossier's sector."


@pytest.mark.parametrize(
    ("regions", "communes", "outcome"),
    [
        (set(), set(), Outcome.PASS),
        ({"SN11"}, set(), Outcome.PASS),
        (set(), {"SN1103_SEDHIOU"}, Outcome.PASS),
        ({"SN07"}, set(), Outcome.FAIL),
        (set(), {"SN1102_GOUDOMP"}, Outcome.FAIL),
    ],
)
def test_the_place_of_the_project(regions, communes, outcome):
    terms = replace(OPEN_TO_ALL, eligible_region_codes=frozenset(regions), eligible_commune_codes=frozenset(communes))

    assert _check(terms, "territory").outcome == outcome


def test_a_place_limited_programme_says_where():
    terms = replace(OPEN_TO_ALL, eligible_region_codes=frozenset({"SN10", "SN09"}))

    names = {"SN10": "Saint-Louis", "SN09": "Matam", "SN1103_SEDHIOU": "Sédhiou"}

    result = evaluate(SEDHIOU_AGRICULTURE, terms, names=names).criterion("territory")

    assert result.explanation == "This programme is limited to: Matam, Saint-Louis; the project is in Sédhiou."


def test_an_unrecorded_place_is_unknown():
    facts = replace(SEDHIOU_AGRICULTURE, commune_code=None, region_code=None)

    terms = replace(OPEN_TO_ALL, eligible_region_codes=frozenset({"SN11"}))

    assert _check(terms, "territory", facts).outcome == Outcome.UNKNOWN


@pytest.mark.parametrize(
    ("minimum", "maximum", "outcome", "explanation"),
    [
        (5_000_000, 15_000_000, Outcome.PASS, f"{EIGHT_MILLION} is within the programme's range."),
        (None, 5_000_000, Outcome.FAIL, f"{EIGHT_MILLION} is above the maximum of {FIVE_MILLION}."),
        (10_000_000, None, Outcome.FAIL, f"{EIGHT_MILLION} is below the minimum of {TEN_MILLION}."),
        (None, None, Outcome.UNKNOWN, "The programme publishes no amounts."),
        (8_000_000, 8_000_000, Outcome.PASS, f"{EIGHT_MILLION} is within the programme's range."),
    ],
)
def test_the_amount_sought(minimum, maximum, outcome, explanation):
    result = _check(replace(OPEN_TO_ALL, amount_min_xof=minimum, amount_max_xof=maximum), "amount")

    assert (result.outcome, result.explanation) == (outcome, explanation)


def test_an_amount_above_the_maximum_says_what_to_seek():
    result = _check(replace(OPEN_TO_ALL, amount_max_xof=5_000_000), "amount")

    assert result.to_become_eligible == f"Seek at most {FIVE_MILLION} and finance the rest from other sources."


@pytest.mark.parametrize(("required", "outcome"), [(None, Outcome.PASS), (20, Outcome.PASS), (30, Outcome.FAIL)])
def test_the_own_contribution(required, outcome):
    terms = replace(OPEN_TO_ALL, required_own_contribution_percent=required)

    assert _check(terms, "own_contribution").outcome == outcome


def test_a_too_small_own_contribution_says_how_much_is_needed():
    result = _check(replace(OPEN_TO_ALL, required_own_contribution_percent=30), "own_contribution")

    assert result.explanation == "The own contribution (20 %) is below the 30 % required."
    assert result.to_become_eligible == "Raise the own contribution to at least 30 % of the project's cost."


def test_an_unrecorded_own_contribution_is_unknown():
    facts = replace(SEDHIOU_AGRICULTURE, own_contribution_percent=None)

    terms = replace(OPEN_TO_ALL, required_own_contribution_percent=30)

    assert _check(terms, "own_contribution", facts).outcome == Outcome.UNKNOWN


@pytest.mark.parametrize(
    ("groups", "facts_change", "outcome"),
    [
        ({"returnees"}, {}, Outcome.PASS),
        ({"diaspora"}, {}, Outcome.FAIL),
        ({"diaspora"}, {"promoter_situation": "abroad"}, Outcome.PASS),
        ({"potential_migrants"}, {"promoter_situation": "planning"}, Outcome.PASS),
        ({"women"}, {}, Outcome.FAIL),
        ({"women"}, {"sex": "F"}, Outcome.PASS),
        ({"women"}, {"sex": None}, Outcome.UNKNOWN),
        ({"youth"}, {}, Outcome.PASS),  # 34, default bounds 18-35
        ({"youth"}, {"age": 36}, Outcome.FAIL),
        ({"youth"}, {"age": None}, Outcome.UNKNOWN),
        ({"youth", "women"}, {"age": 50, "sex": "F"}, Outcome.PASS),
        ({"associations"}, {}, Outcome.PASS),  # a kind of promoter, checked by its own criterion
    ],
)
def test_the_target_group(groups, facts_change, outcome):
    facts = replace(SEDHIOU_AGRICULTURE, **facts_change)

    assert _check(replace(OPEN_TO_ALL, target_group_codes=frozenset(groups)), "target_group", facts).outcome == outcome


def test_youth_uses_the_programme_age_bounds():
    terms = replace(OPEN_TO_ALL, target_group_codes=frozenset({"youth"}), youth_min_age=18, youth_max_age=40)

    result = _check(terms, "target_group", replace(SEDHIOU_AGRICULTURE, age=41))

    assert result.outcome == Outcome.FAIL
    assert result.explanation == "The programme targets: Youth (youth: 18 to 40 years); the promoter is none of these."


@pytest.mark.parametrize(
    ("groups", "kind", "outcome"),
    [
        (set(), "individual", Outcome.PASS),
        ({"associations"}, "individual", Outcome.FAIL),
        ({"associations"}, "association", Outcome.PASS),
        ({"collectives"}, "family", Outcome.PASS),
        ({"collectives"}, "community", Outcome.PASS),
        ({"companies", "associations"}, "company", Outcome.PASS),
        ({"companies"}, None, Outcome.UNKNOWN),
    ],
)
def test_the_kind_of_promoter(groups, kind, outcome):
    facts = replace(SEDHIOU_AGRICULTURE, promoter_kind=kind)

    assert _check(replace(OPEN_TO_ALL, target_group_codes=frozenset(groups)), "promoter_kind", facts).outcome == outcome


@pytest.mark.parametrize(
    ("status", "deadline", "rolling", "outcome"),
    [
        ("open", None, True, Outcome.PASS),
        ("open", None, False, Outcome.PASS),
        ("open", TODAY, False, Outcome.PASS),
        ("open", date(2026, 11, 26), False, Outcome.FAIL),
        ("closed", None, False, Outcome.FAIL),
        ("upcoming", None, False, Outcome.UNKNOWN),
    ],
)
def test_the_deadline(status, deadline, rolling, outcome):
    terms = replace(OPEN_TO_ALL, status=status, deadline=deadline, is_rolling=rolling)

    assert _check(terms, "deadline").outcome == outcome


def test_a_passed_deadline_says_when():
    result = _check(replace(OPEN_TO_ALL, deadline=date(2026, 11, 1), is_rolling=False), "deadline")

    assert result.explanation == "The deadline (01/11/2026) has passed."


def test_missing_documents_only_rank_and_say_what_to_add():
    terms = replace(OPEN_TO_ALL, required_document_codes=("ID", "NINEA", "BUSINESS_PLAN", "STATUTES"))

    match = evaluate(SEDHIOU_AGRICULTURE, terms)

    documents = match.criterion("documents")
    assert (documents.outcome, documents.hard) == (Outcome.FAIL, False)
    assert documents.to_become_eligible == "Add: NINEA, Statutes."
    assert match.verdict == Verdict.POSSIBLE


def test_hard_failures_exclude_unknowns_and_soft_failures_rank():
    eligible = replace(OPEN_TO_ALL, name="B eligible")
    possible = replace(OPEN_TO_ALL, name="A possible", required_document_codes=("NINEA",))
    unknown = replace(OPEN_TO_ALL, name="C unknown", status="upcoming")
    excluded = replace(OPEN_TO_ALL, name="0 excluded", excluded_sector_codes=frozenset({"AGRI"}))

    matches = match_opportunities(SEDHIOU_AGRICULTURE, [excluded, unknown, possible, eligible])

    assert [match.terms.name for match in matches] == ["B eligible", "A possible", "C unknown", "0 excluded"]
    assert [match.verdict for match in matches] == [
        Verdict.ELIGIBLE, Verdict.POSSIBLE, Verdict.POSSIBLE, Verdict.NOT_ELIGIBLE,
    ]


def test_among_eligible_programmes_the_earliest_deadline_comes_first():
    later = replace(OPEN_TO_ALL, name="A later", is_rolling=False, deadline=date(2027, 3, 1))
    sooner = replace(OPEN_TO_ALL, name="B sooner", is_rolling=False, deadline=date(2026, 12, 15))

    assert [match.terms.name for match in match_opportunities(SEDHIOU_AGRICULTURE, [later, OPEN_TO_ALL, sooner])] == [
        "B sooner", "A later", "Open to all",
    ]


# --- The done-means dossier against the real catalogue -----------------------------------


def test_a_sedhiou_agriculture_dossier_lists_eligible_programmes_first_and_explains_exclusions(db):
    matches = funding_matches(SEDHIOU_AGRICULTURE)
    by_name = {match.terms.name: match for match in matches}
    verdicts = [match.verdict for match in matches]

    assert verdicts == sorted(verdicts, key=[Verdict.ELIGIBLE, Verdict.POSSIBLE, Verdict.NOT_ELIGIBLE].index)
    assert [(match.terms.name, match.verdict) for match in matches[:2]] == [
        ("PAMECAS - crédit projets (microfinance)", Verdict.ELIGIBLE),
        ("FONGIP - garantie individuelle / portefeuille", Verdict.POSSIBLE),
    ]
    assert matches[1].criterion("documents").to_become_eligible == "Add: NINEA, Trade register (RCCM)."
    der = by_name["DER/FJ - Délégation générale à l'Entrepreneuriat Rapide des Femmes et des Jeunes"]
    assert der.verdict == Verdict.NOT_ELIGIBLE
    assert [criterion.code for criterion in der.failed if criterion.hard] == ["amount"]
    assert der.criterion("amount").explanation == f"{EIGHT_MILLION} is above the maximum of {FIVE_MILLION}."
    paisd = by_name["PAISD - soutien aux projets de développement local (collective projects)"]  # English page
    assert paisd.criterion("sector").explanation.startswith("This programme funds only these sectors:")
    assert "the dossier is in Agriculture, market gardening." in paisd.criterion("sector").explanation
    assert paisd.criterion("own_contribution").outcome == Outcome.PASS  # 20 % meets PAISD's 20 %
    forim = by_name["FORIM PRA/OSIM"]
    assert forim.criterion("own_contribution").explanation == "The own contribution (20 %) is below the 30 % required."
    assert forim.criterion("promoter_kind").outcome == Outcome.FAIL


def test_the_same_dossier_from_abroad_is_eligible_for_faise(db):
    matches = funding_matches(replace(SEDHIOU_AGRICULTURE, promoter_situation="abroad"))

    faise = next(match for match in matches if match.terms.name.startswith("FAISE - Financement des Sénégalais"))
    assert faise.verdict == Verdict.ELIGIBLE
    assert matches.index(faise) < 3


def test_a_trade_dossier_is_told_that_faise_excludes_commerce(db):
    facts = replace(SEDHIOU_AGRICULTURE, sector_code="COMM", promoter_situation="abroad")

    matches = funding_matches(facts)

    faise = next(match for match in matches if match.terms.name.startswith("FAISE - Financement des Sénégalais"))

    assert faise.verdict == Verdict.NOT_ELIGIBLE
    assert faise.criterion("sector").explanation == "This programme excludes the sector Trade, import-export."


def test_matching_keeps_its_query_count_at_2_and_20_opportunities(db):
    FundingOpportunity.objects.all().delete()
    sectors = list(Sector.objects.filter(code__in=["AGRI", "ELEV"]))

    def count(extra):
        FundingOpportunityFactory.create_batch(extra, eligible_sectors=sectors, required_documents=["ID"])
        cache.clear()  # both counts with the reference names read again (projects.caches)
        with CaptureQueriesContext(connection) as context:
            matches = funding_matches(SEDHIOU_AGRICULTURE)
        return len(context.captured_queries), len(matches)

    assert count(2)[0] == count(18)[0]
    assert count(0)[1] == 20


def test_the_terms_read_in_one_query_are_those_of_the_prefetched_programmes(db, django_assert_num_queries):
    from hom.territories.models import Commune, Region
    from projects.funding.models import FundingTargetGroup
    from projects.funding.selectors import opportunities_terms, opportunity_terms

    FundingOpportunityFactory(
        eligible_sectors=list(Sector.objects.filter(code__in=["AGRI", "ELEV"])),
        excluded_sectors=list(Sector.objects.filter(code="COMM")),
        eligible_regions=list(Region.objects.filter(code__in=["SN11", "SN07"])),
        eligible_communes=list(Commune.objects.filter(code__in=["SN1103_SEDHIOU", "SN1103_MARSASSOUM"])),
        target_groups=list(FundingTargetGroup.objects.all()[:2]),
        required_documents=["ID", "LAND"],
    )
    programmes = FundingOpportunity.objects.all()

    with django_assert_num_queries(1):
        joined = opportunities_terms(programmes)

    prefetched = [opportunity_terms(programme) for programme in programmes.with_relations()]
    assert len(joined) == FundingOpportunity.objects.count() > 3  # the shipped catalogue and this one
    assert sorted(joined, key=lambda terms: terms.pk) == sorted(prefetched, key=lambda terms: terms.pk)
    assert any(len(terms.eligible_commune_codes) == 2 and terms.target_group_codes for terms in joined)
