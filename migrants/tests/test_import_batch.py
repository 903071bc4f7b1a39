"""The import's batch path: the same persons as one by one, their history, consecutive file numbers,
all or nothing, and a number of queries that does not grow with the rows."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hom.imports import bulk
from migrants import imports, services
from migrants.models import FileNumberCounter, ImportStatus, Migrant
from migrants.tests.factories import MigrantFactory
from migrants.tests.test_imports import HEADERS, person_row

# What differs between two registrations of the same person, whatever the path.
OWN_TO_EACH = {"id", "file_number", "record_key", "created_at", "updated_at"}


def checked_import(office, user, rows):
    migrant_import = imports.import_create(office=office, uploaded_by=user, file_name="x.csv", headers=HEADERS,
                                           rows=rows)
    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    return migrant_import


def queued_import(office, user, rows):
    migrant_import = checked_import(office, user, rows)
    assert migrant_import.status == ImportStatus.READY, migrant_import.errors
    assert imports.import_queue(migrant_import=migrant_import)
    return migrant_import


def run(office, user, rows):
    migrant_import = queued_import(office, user, rows)
    imports.import_run(migrant_import=migrant_import)
    assert migrant_import.status == ImportStatus.DONE, migrant_import.errors
    return migrant_import


def values(migrant, exclude=OWN_TO_EACH):
    return {field.attname: getattr(migrant, field.attname) for field in Migrant._meta.concrete_fields
            if field.attname not in exclude}


def test_an_imported_person_is_the_person_registered_one_by_one(office, users, sedhiou):
    row = ["Fatou", "Diédhiou", "F", "1984", "77 123 45 67", "Fatou.D@Exemple.SN", "Sédhiou", "De retour", "Italie"]
    run(office, users["advisor"], [row])
    imported = Migrant.objects.get()
    cleaned = imports._checked_rows(checked_import(office, users["advisor"], [row]))[0][1]
    Migrant.objects.all().delete()  # the check above found the imported one a duplicate: the keys are free again

    one_by_one = services.migrant_register(
        office=office, recorded_by=users["advisor"],
        **{name: value for name, value in cleaned.items() if name not in imports._CHECK_KEYS},
    )

    assert values(imported) == values(one_by_one)
    assert imported.search_name == "fatou diedhiou" and imported.phone.as_e164 == "+221771234567"
    assert imported.email == "fatou.d@exemple.sn" and imported.commune_of_origin == sedhiou
    assert imported.country_of_residence == "IT" and 0 <= imported.record_key < 256


def test_every_imported_person_has_its_creation_in_the_history_by_the_uploader(office, users):
    run(office, users["advisor"], [person_row(index) for index in range(7)])

    for migrant in Migrant.objects.all():
        history = list(migrant.history.all())
        assert len(history) == 1
        record = history[0]
        assert record.history_type == "+" and record.history_user == users["advisor"]
        assert values(record.instance, exclude={"updated_at"}) == values(migrant, exclude={"updated_at"})


def test_file_numbers_are_unique_and_consecutive_after_the_ones_already_given(office, users):
    year = timezone.localdate().year
    first = services.migrant_register(office=office, recorded_by=users["advisor"], first_name="Awa", last_name="Sané")

    run(office, users["advisor"], [person_row(index) for index in range(1, 6)])
    after = services.migrant_register(office=office, recorded_by=users["advisor"], first_name="Ami", last_name="Coly")

    numbers = list(Migrant.objects.order_by("file_number").values_list("file_number", flat=True))
    assert first.file_number == f"SED-{year}-00001" and after.file_number == f"SED-{year}-00007"
    assert numbers == [f"SED-{year}-{value:05d}" for value in range(1, 8)]
    assert FileNumberCounter.objects.get(office=office, year=year).last_value == 7


def test_a_person_registered_between_the_check_and_the_run_fails_the_run_and_nothing_is_imported(office, users):
    migrant_import = queued_import(office, users["advisor"], [person_row(index) for index in range(4)])
    MigrantFactory(office=office, phone="+221771000002", file_number="SED-2025-00042")

    imports.import_run(migrant_import=migrant_import)

    assert migrant_import.status == ImportStatus.FAILED
    [error] = migrant_import.errors
    assert error["row"] == 0 and error["messages"][0].startswith("Ligne 4")
    assert error["messages"][0].endswith("Déjà inscrit sous le numéro SED-2025-00042.")
    assert list(Migrant.objects.values_list("file_number", flat=True)) == ["SED-2025-00042"]
    assert not FileNumberCounter.objects.exists()


def test_a_failure_after_the_persons_are_written_leaves_nothing(office, users, monkeypatch):
    migrant_import = queued_import(office, users["advisor"], [person_row(index) for index in range(5)])
    written = []

    def history_fails(*, model, pks, user, date):
        written.extend(Migrant.objects.values_list("pk", flat=True))
        raise RuntimeError("the history table is gone")

    monkeypatch.setattr(services, "history_created", history_fails)
    try:
        imports.import_run(migrant_import=migrant_import)
    except RuntimeError:
        pass

    migrant_import.refresh_from_db()
    assert len(written) == 5  # the persons were written, in the transaction that rolled back
    assert migrant_import.status == ImportStatus.QUEUED
    assert not Migrant.objects.exists() and not Migrant.history.exists() and not FileNumberCounter.objects.exists()


def test_the_check_and_the_run_cost_the_same_queries_at_5_and_at_50_rows(office, users):
    MigrantFactory.create_batch(3, office=office)
    counts = []
    for start, size in ((0, 5), (100, 50)):
        migrant_import = imports.import_create(office=office, uploaded_by=users["advisor"], file_name="x.csv",
                                               headers=HEADERS, rows=[person_row(start + index) for index in range(size)])
        with CaptureQueriesContext(connection) as check:
            imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
        assert imports.import_queue(migrant_import=migrant_import)
        with CaptureQueriesContext(connection) as run_queries:
            imports.import_run(migrant_import=migrant_import)
        assert migrant_import.status == ImportStatus.DONE
        counts.append((len(check), len(run_queries)))

    assert counts[0] == counts[1], counts
    assert counts[0][1] <= 14  # claim, communes, known keys, counter, ids, persons, history, done…


def test_the_check_refuses_what_the_model_refuses(office, users):
    long_email = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.sn"  # 259 characters: a valid address, too long
    assert len(long_email) == 259
    row = person_row(1)
    row[5] = long_email

    migrant_import = checked_import(office, users["advisor"], [row])

    assert migrant_import.status == ImportStatus.INVALID
    assert migrant_import.errors[0]["row"] == 2
    assert migrant_import.errors[0]["messages"][0].startswith("E-mail\xa0: ")


def test_duplicates_by_email_and_by_name_year_and_commune_are_found_in_the_office_only(office, other_office, users,
                                                                                     sedhiou):
    MigrantFactory(office=office, email="awa@exemple.sn", file_number="SED-2025-00001")
    MigrantFactory(office=office, first_name="Awa0002", last_name="Sané", birth_year=1962,
                   commune_of_origin=sedhiou, file_number="SED-2025-00002")
    MigrantFactory(office=other_office, phone="+221771000003", file_number="KOL-2025-00003")
    rows = [person_row(index) for index in range(1, 4)]
    rows[0][5] = "AWA@exemple.sn"

    migrant_import = checked_import(office, users["advisor"], rows)

    assert migrant_import.errors == [
        {"row": 2, "messages": ["Déjà inscrit sous le numéro SED-2025-00001."]},
        {"row": 3, "messages": ["Déjà inscrit sous le numéro SED-2025-00002."]},
    ]


def test_text_with_tabs_backslashes_and_line_breaks_is_written_as_it_is(office, users):
    row = person_row(1) + ["Maçon\\coiffeur\tle soir\nchauffeur"]
    migrant_import = imports.import_create(office=office, uploaded_by=users["advisor"], file_name="x.csv",
                                           headers=[*HEADERS, "Profession"], rows=[row])
    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    imports.import_queue(migrant_import=migrant_import)

    imports.import_run(migrant_import=migrant_import)

    assert migrant_import.status == ImportStatus.DONE, migrant_import.errors
    assert Migrant.objects.get().occupation == "Maçon\\coiffeur\tle soir\nchauffeur"


def test_insert_rows_needs_the_same_fields_in_every_row(office):
    import pytest

    with pytest.raises(ValueError, match="same fields"):
        bulk.insert_rows(FileNumberCounter, [{"office_id": office.pk, "year": 2026}, {"office_id": office.pk}])


def test_the_run_reads_a_number_the_check_passed_as_the_check_read_it():
    import random

    import phonenumbers

    written = ["77 123 45 67", "771234567", "77.123.45.67", "77-123-45-67", "33 821 00 00", "+221 77 123 45 67",
               "00221771234567", "+33 6 12 34 56 78", "0033612345678"]
    chooser = random.Random(18)
    drawn = [chooser.choice("123456789") + "".join(chooser.choice("0123456789") for _ in range(8)) for _ in range(3000)]
    valid = [number for number in written + drawn
             if imports._e164(number, checked_before=False)]

    assert len(valid) > 300 and set(written) <= set(valid)
    for number in valid:
        assert imports._e164(number, checked_before=True) == imports._e164(number, checked_before=False), number
    assert imports._e164("77 123 45 67", checked_before=False) == phonenumbers.format_number(
        phonenumbers.parse("+221771234567"), phonenumbers.PhoneNumberFormat.E164)
