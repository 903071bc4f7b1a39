"""Seeding shared by the benchmarks: persons, visits and their needs, dossiers and applications.

Everything is ``INSERT ... SELECT FROM generate_series`` on the server: no row crosses the wire,
which matters on two shared cores (bench/reports_aggregates.py, bench/pages.py,
bench/summaries_incremental.py and bench/national.py seed through these).

Persons are named from 30 first names and 40 family names of Casamance, the pair given by their
number in the office (``name_of``), so that a name search matches a known share of an office; their
visits are spread over the last two years.
"""

FIRST_NAMES = [
    "Mamadou",
    "Awa",
    "Ousmane",
    "Fatou",
    "Lamine",
    "Aminata",
    "Ibrahima",
    "Mariama",
    "Sekou",
    "Kadiatou",
    "Boubacar",
    "Aissatou",
    "Seydou",
    "Binta",
    "Moussa",
    "Ndeye",
    "Abdoulaye",
    "Khady",
    "Malang",
    "Fatoumata",
    "Demba",
    "Adama",
    "Souleymane",
    "Oumou",
    "Alassane",
    "Djeneba",
    "Bakary",
    "Rokhaya",
    "Ansou",
    "Sira",
]
LAST_NAMES = [
    "Diedhiou",
    "Sane",
    "Badji",
    "Coly",
    "Mane",
    "Sonko",
    "Diatta",
    "Sagna",
    "Goudiaby",
    "Tamba",
    "Bodian",
    "Manga",
    "Diallo",
    "Balde",
    "Kande",
    "Mballo",
    "Seydi",
    "Drame",
    "Cisse",
    "Toure",
    "Konate",
    "Kamara",
    "Dabo",
    "Fofana",
    "Sylla",
    "Keita",
    "Traore",
    "Camara",
    "Diop",
    "Ndiaye",
    "Sow",
    "Ba",
    "Fall",
    "Gueye",
    "Faye",
    "Sarr",
    "Diouf",
    "Mendy",
    "Gomis",
    "Sambou",
]


def name_of(n: int) -> tuple[str, str]:
    """The first and family names of the ``n``-th person seeded in an office."""
    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]


PERSONS = """
INSERT INTO migrants_migrant (
    file_number, office_id, first_name, last_name, sex, birth_year, phone, phone_is_whatsapp, phone_secondary,
    email, preferred_channel, commune_of_origin_id, situation, country_of_residence, city_of_residence,
    education_level, occupation, skills, languages, consent_processing, consent_sharing, consent_contact,
    search_name, created_at, updated_at, record_key, consent_version)
SELECT %(prefix)s || n,
    CASE WHEN %(other_every)s > 0 AND n %% greatest(%(other_every)s, 1) = 0 THEN %(other_office)s ELSE %(office)s END,
    (%(first_names)s)[1 + n %% array_length(%(first_names)s, 1)],
    (%(last_names)s)[1 + n / array_length(%(first_names)s, 1) %% array_length(%(last_names)s, 1)],
    CASE WHEN n %% 2 = 0 THEN 'F' ELSE 'M' END, 1950 + n %% 55,
    CASE WHEN %(phone_every)s > 0 AND n %% greatest(%(phone_every)s, 1) = 0
         THEN %(phone_prefix)s || lpad(n::text, 7, '0') ELSE '' END,
    false, '', '', '',
    (%(communes)s)[1 + n %% array_length(%(communes)s, 1)],
    (ARRAY['in_senegal', 'abroad', 'returned', 'planning'])[1 + n %% 4],
    (ARRAY['FR', 'ES', 'IT', 'GM', 'US', 'SN', 'MR', ''])[1 + n %% 8], '', '', '', '', '', true, false, false,
    lower((%(first_names)s)[1 + n %% array_length(%(first_names)s, 1)] || ' '
          || (%(last_names)s)[1 + n / array_length(%(first_names)s, 1) %% array_length(%(last_names)s, 1)]),
    now() - (n %% 700) * interval '1 day', now(), floor(random() * 256), ''
FROM generate_series(1, %(count)s) AS n
"""

VISITS = """
INSERT INTO migrants_visit (
    office_id, migrant_id, occurred_at, channel, place, services_given, notes, referral_to, outcome,
    follow_up_done, sex, age_group, created_at, updated_at, record_key, person_key, advisor_id,
    follow_up_on, follow_up_advisor_id)
SELECT migrant.office_id, migrant.id, now() - ((n::bigint * 7919) %% 730) * interval '1 day', 'office', '', '', '', '',
    '', false, '', '', now(), now(), floor(random() * 256), migrant.record_key,
    CASE WHEN n %% 3 = 0 THEN (%(advisors)s::bigint[])[1 + n %% greatest(cardinality(%(advisors)s::bigint[]), 1)] END,
    CASE WHEN %(follow_up_every)s > 0 AND n %% greatest(%(follow_up_every)s, 1) = 0
         THEN current_date + (n %% 40)::int - 20 END,
    CASE WHEN %(follow_up_every)s > 0 AND n %% greatest(%(follow_up_every)s, 1) = 0
         THEN (%(advisors)s::bigint[])[1 + n %% greatest(cardinality(%(advisors)s::bigint[]), 1)] END
FROM generate_series(1, %(count)s) AS n
JOIN migrants_migrant AS migrant ON migrant.id = %(first_person)s + (n::bigint * 104729) %% %(persons)s
"""

NEEDS = """
INSERT INTO migrants_visit_needs (visit_id, needcategory_id)
SELECT visit.id, (%(needs)s)[1 + visit.id %% array_length(%(needs)s, 1)] FROM migrants_visit AS visit
WHERE visit.id > %(after)s
"""

# One person in ``every`` of the office promotes a dossier; one in four is submitted.
DOSSIERS = """
INSERT INTO projects_projectdossier (
    record_key, reference, office_id, promoter_id, advisor_id, title, summary, sector_id, commune_id, kind, stage,
    market, team, jobs_women, jobs_men, jobs_youth, status, submitted_at, readiness, created_at, updated_at)
SELECT floor(random() * 256), %(code)s || '-D-' || migrant.id, migrant.office_id, migrant.id,
    (%(advisors)s::bigint[])[1 + migrant.id %% greatest(cardinality(%(advisors)s::bigint[]), 1)],
    'Projet ' || migrant.id, '', (%(sectors)s)[1 + migrant.id %% array_length(%(sectors)s, 1)],
    migrant.commune_of_origin_id, 'individual', 'idea', '', '', 0, 0, 0,
    CASE WHEN migrant.id %% 4 = 0 THEN 'submitted' ELSE 'draft' END,
    CASE WHEN migrant.id %% 4 = 0 THEN now() - (migrant.id %% 300) * interval '1 day' END,
    0, now() - (migrant.id %% 600) * interval '1 day', now() - (migrant.id %% 300) * interval '1 day'
FROM migrants_migrant AS migrant
WHERE migrant.office_id = %(office)s AND migrant.id %% %(every)s = 0
"""

# One application in ``every`` dossiers of the office, planned, to one of the catalogue's programmes.
APPLICATIONS = """
INSERT INTO projects_fundingapplication (
    record_key, dossier_id, opportunity_id, status, notes, created_at, updated_at)
SELECT floor(random() * 256), dossier.id, (%(opportunities)s)[1 + dossier.id %% array_length(%(opportunities)s, 1)],
    'planned', '', now(), now()
FROM projects_projectdossier AS dossier
WHERE dossier.office_id = %(office)s AND dossier.id %% %(every)s = 0
"""


def seed_persons(
    cursor, *, office, communes, count, prefix="B-", other_office=None, other_every=0, phone_prefix="", phone_every=0
) -> tuple[int, int]:
    """``count`` persons of ``office`` (one in ``other_every`` of ``other_office``); their first and last ids.

    One in ``phone_every`` has the phone ``<phone_prefix><n on 7 digits>``. The ids of one call
    are consecutive (one statement of one session), which ``seed_visits`` relies on.
    """
    before = last_id(cursor, "migrants_migrant")
    cursor.execute(
        PERSONS,
        {
            "prefix": prefix,
            "office": office,
            "other_office": other_office or office,
            "other_every": other_every,
            "phone_prefix": phone_prefix,
            "phone_every": phone_every,
            "communes": list(communes),
            "count": count,
            "first_names": FIRST_NAMES,
            "last_names": LAST_NAMES,
        },
    )
    cursor.execute("SELECT min(id), max(id) FROM migrants_migrant WHERE id > %s", [before])
    return cursor.fetchone()


def seed_visits(cursor, *, first_person, persons, count, advisors=(), follow_up_every=0) -> None:
    """``count`` visits of the persons ``first_person`` .. ``first_person + persons - 1``, at each one's office,
    over the last two years; one in three by one of ``advisors`` (ids, in turn), one in ``follow_up_every``
    with a follow-up for one of them (due from twenty days ago to twenty days ahead)."""
    cursor.execute(
        VISITS,
        {
            "first_person": first_person,
            "persons": persons,
            "count": count,
            "advisors": list(advisors),
            "follow_up_every": follow_up_every,
        },
    )


def seed_needs(cursor, *, needs, after=0) -> None:
    """One need for each visit whose id is above ``after``."""
    cursor.execute(NEEDS, {"needs": list(needs), "after": after})


def seed_dossiers(cursor, *, office, code, advisors, sectors, every) -> None:
    """A dossier for one person in ``every`` of the office, its advisor one of ``advisors`` (ids) in turn."""
    cursor.execute(
        DOSSIERS, {"office": office, "code": code, "advisors": list(advisors), "sectors": list(sectors), "every": every}
    )


def seed_applications(cursor, *, office, opportunities, every) -> None:
    cursor.execute(APPLICATIONS, {"office": office, "opportunities": list(opportunities), "every": every})


def last_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (a table name of this module's)
    return cursor.fetchone()[0]
