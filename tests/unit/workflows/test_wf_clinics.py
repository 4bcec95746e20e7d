"""Tests for the clinic registry workflows: saving clinics and importing the region's list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from clinic_desk.domain.clinics import ClinicDraft
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store
from clinic_desk.workflows.clinics import (
    CSV_COLUMNS,
    ImportRejected,
    decode_csv_bytes,
    import_clinics,
    parse_clinic_csv,
    save_clinic,
    set_clinic_active,
)

Counts = Callable[[], dict[str, int]]

OWN = ClinicDraft(
    name="Tandkliniken Testgården",
    org_number="5590123450",
    code="TEST",
    city="Umeå",
    bankgiro="50501055",
    f_skatt=True,
    is_own=True,
)
OTHER = ClinicDraft(name="Folktandvården Björkbacken", org_number="232100-0222", city="Umeå")

HEADER = ";".join(CSV_COLUMNS)
GOOD_ROWS = (
    "Folktandvården Älvsidan;232100-0222;ALVS;Älvvägen 3;911 31;Vännäs;0935-123 45;"
    "alvsidan@example.se;Region Västerbotten, Box 1;ja\n"
    "Tandläkarhuset Norrsken;5560360793;NORR;Storgatan 9;90326;Umeå;;;;nej\n"
    "Kustens Tandklinik;556703-7485;KUST;;;Hörnefors;;;;\n"
)


def _names(store: Store) -> list[str]:
    return [c.name for c in store.clinics.all()]


# -- saving --------------------------------------------------------------------------------


def test_save_and_update_a_clinic(store: Store, actor: User, counts: Counts) -> None:
    before = counts()
    own_id = save_clinic(store, actor, OWN)
    own = store.clinics.get(own_id)
    assert own is not None
    assert (own.org_number, own.bankgiro, own.is_own) == ("559012-3450", "5050-1055", True)
    save_clinic(store, actor, replace(OWN, phone="090-12 34 50"), own_id)
    updated = store.clinics.get(own_id)
    assert updated is not None
    assert updated.phone == "090-12 34 50"
    assert counts()["clinics"] == before["clinics"] + 1
    assert counts()["audit_log"] == before["audit_log"] + 2
    actions = store.conn.execute(
        "SELECT action, entity, entity_id FROM audit_log ORDER BY id DESC LIMIT 2"
    ).fetchall()
    assert actions == [
        ("clinic.update", "clinic", str(own_id)),
        ("clinic.create", "clinic", str(own_id)),
    ]


def test_a_second_own_clinic_is_refused(store: Store, actor: User, counts: Counts) -> None:
    save_clinic(store, actor, OWN)
    before = counts()
    second = replace(OTHER, is_own=True, bankgiro="5050-1055")
    with pytest.raises(ValidationError) as exc:
        save_clinic(store, actor, second)
    assert "Egen klinik är redan Tandkliniken Testgården" in (exc.value.message_for("is_own") or "")
    assert counts() == before


def test_a_known_org_number_is_refused(store: Store, actor: User, counts: Counts) -> None:
    own_id = save_clinic(store, actor, OWN)
    other_id = save_clinic(store, actor, OTHER)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        save_clinic(store, actor, replace(OTHER, name="Björkbacken igen"))
    assert "Björkbacken" in (exc.value.message_for("org_number") or "")
    # The own clinic's number is no exception: the table allows one active clinic per number.
    with pytest.raises(ValidationError) as exc:
        save_clinic(store, actor, replace(OTHER, name="Filial", org_number=OWN.org_number))
    assert "Testgården" in (exc.value.message_for("org_number") or "")
    with pytest.raises(ValidationError):
        save_clinic(store, actor, replace(OTHER, org_number=OWN.org_number), other_id)
    with pytest.raises(ValidationError):
        save_clinic(store, actor, replace(OWN, org_number=OTHER.org_number), own_id)
    assert counts() == before
    # Saving a clinic under its own number again is fine.
    save_clinic(store, actor, replace(OTHER, city="Vännäs"), other_id)


def test_a_clinic_in_the_list_can_become_the_own_clinic(store: Store, actor: User) -> None:
    listed = save_clinic(store, actor, replace(OWN, is_own=False))
    assert save_clinic(store, actor, OWN, listed) == listed
    own = store.clinics.own()
    assert own is not None
    assert own.id == listed


def test_an_invalid_clinic_saves_nothing(store: Store, actor: User, counts: Counts) -> None:
    before = counts()
    with pytest.raises(ValidationError) as exc:
        save_clinic(store, actor, replace(OWN, org_number="123", bankgiro=""))
    assert {e.field for e in exc.value.errors} == {"org_number", "bankgiro"}
    assert counts() == before


def test_clinics_are_deactivated_not_deleted(
    store: Store, actor: User, clinics: dict[str, int], counts: Counts
) -> None:
    before = counts()
    set_clinic_active(store, actor, clinics["third"], False)
    assert "Tandläkarhuset Norrsken" not in _names(store)
    assert counts()["clinics"] == before["clinics"]
    set_clinic_active(store, actor, clinics["third"], True)
    assert "Tandläkarhuset Norrsken" in _names(store)
    assert counts()["audit_log"] == before["audit_log"] + 2
    with pytest.raises(ValidationError):
        set_clinic_active(store, actor, clinics["own"], False)
    with pytest.raises(ValidationError):
        set_clinic_active(store, actor, 9999, False)
    assert counts()["audit_log"] == before["audit_log"] + 2


# -- importing -----------------------------------------------------------------------------


def test_a_utf8_file_with_bom_imports(store: Store, actor: User, counts: Counts) -> None:
    data = ("\ufeff" + HEADER + "\n" + GOOD_ROWS).encode("utf-8")
    before = counts()
    assert import_clinics(store, actor, decode_csv_bytes(data)) == (3, 0)
    assert counts()["clinics"] == before["clinics"] + 3
    assert counts()["audit_log"] == before["audit_log"] + 1
    alvsidan = store.clinics.by_org_number("232100-0222")
    assert alvsidan is not None
    assert (alvsidan.name, alvsidan.city, alvsidan.postal_code) == (
        "Folktandvården Älvsidan",
        "Vännäs",
        "911 31",
    )
    assert alvsidan.area_responsible
    norrsken = store.clinics.by_org_number("556036-0793")
    assert norrsken is not None
    assert not norrsken.area_responsible
    entry = store.conn.execute("SELECT action, detail FROM audit_log ORDER BY id DESC").fetchone()
    assert entry == ("clinic.import", '{"added": 3, "updated": 0}')


def test_a_windows_1252_file_with_swedish_letters_imports(store: Store, actor: User) -> None:
    text = "Namn;Organisationsnummer;Ort;Omradesansvarig\r\n"
    text += "Tandvårdshuset Lärkan;556703-7485;Sävar;Ja\r\nÖrnens Tandvård;5560360793;Åsele;\r\n"
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert import_clinics(store, actor, decode_csv_bytes(data)) == (2, 0)
    assert sorted(_names(store)) == ["Tandvårdshuset Lärkan", "Örnens Tandvård"]
    lärkan = store.clinics.by_org_number("556703-7485")
    assert lärkan is not None
    assert (lärkan.city, lärkan.area_responsible) == ("Sävar", True)


def test_importing_again_updates_known_clinics(store: Store, actor: User) -> None:
    import_clinics(store, actor, HEADER + "\n" + GOOD_ROWS)
    changed = GOOD_ROWS.replace("Hörnefors", "Holmsund")
    assert import_clinics(store, actor, HEADER + "\n" + changed) == (0, 3)
    kusten = store.clinics.by_org_number("556703-7485")
    assert kusten is not None
    assert kusten.city == "Holmsund"
    assert len(store.clinics.all()) == 3


def test_the_own_clinic_is_never_overwritten_by_an_import(store: Store, actor: User) -> None:
    own_id = save_clinic(store, actor, OWN)
    row = "Någon annans namn;559012-3450;;;;Luleå;;;;nej\n"
    assert import_clinics(store, actor, HEADER + "\n" + row) == (0, 0)
    own = store.clinics.get(own_id)
    assert own is not None
    assert (own.name, own.city, own.is_own) == ("Tandkliniken Testgården", "Umeå", True)


def test_one_bad_row_imports_nothing_and_names_the_line(
    store: Store, actor: User, counts: Counts
) -> None:
    bad = GOOD_ROWS + "Trasig Klinik;556036-0794;TRAS;;;Umeå;;;;nej\n"
    before = counts()
    with pytest.raises(ImportRejected) as exc:
        import_clinics(store, actor, HEADER + "\n" + bad)
    assert counts() == before
    (problem,) = exc.value.problems
    assert problem.line == 5
    assert "Organisationsnumret stämmer inte" in problem.message
    assert str(exc.value).startswith("Rad 5: Organisationsnumret")


def test_every_bad_row_is_named(store: Store) -> None:
    rows = (
        "Bra Klinik;5560360793;;;;;;;;\n"
        ";556703-7485;;;;;;;;\n"  # line 3: no name
        "Klinik Tre;1234;;;9;;;;;\n"  # line 4: org number and postal code
        "Klinik Fyra;232100-0222;;;;;;;;kanske\n"  # line 5
    )
    with pytest.raises(ImportRejected) as exc:
        parse_clinic_csv(HEADER + "\n" + rows)
    lines = [p.line for p in exc.value.problems]
    assert lines == [3, 4, 4, 5]
    assert "ja eller nej" in exc.value.problems[-1].message


def test_line_numbers_count_blank_lines_and_line_breaks_inside_quotes(store: Store) -> None:
    rows = (
        '"Folktandvården Älvsidan";232100-0222;;;;;;;"Region Västerbotten\nBox 1\n901 89 Umeå";ja\n'
        "\n"
        "Trasig Klinik;556036-0794;;;;;;;;nej\n"
    )
    with pytest.raises(ImportRejected) as exc:
        parse_clinic_csv(HEADER + "\n" + rows)
    (problem,) = exc.value.problems
    assert problem.line == 6  # header 1, lines 2-4 the quoted address, 5 blank, 6 the bad row


def test_a_quoted_invoice_address_keeps_its_line_breaks(store: Store, actor: User) -> None:
    row = '"Folktandvården Älvsidan";232100-0222;;;;;;;"Region Västerbotten\nBox 1";ja\n'
    import_clinics(store, actor, HEADER + "\n" + row)
    clinic = store.clinics.by_org_number("232100-0222")
    assert clinic is not None
    assert clinic.invoice_address == "Region Västerbotten\nBox 1"


def test_duplicate_org_numbers_within_a_file_are_refused(store: Store, actor: User) -> None:
    rows = GOOD_ROWS + "Norrsken Igen;556036-0793;;;;;;;;nej\n"
    with pytest.raises(ImportRejected) as exc:
        import_clinics(store, actor, HEADER + "\n" + rows)
    (problem,) = exc.value.problems
    assert problem.line == 5
    assert "rad 3" in problem.message
    assert store.clinics.all() == []


def test_a_file_without_the_needed_columns_is_refused(store: Store) -> None:
    with pytest.raises(ImportRejected) as exc:
        parse_clinic_csv("namn;ort\nKlinik;Umeå\n")
    (problem,) = exc.value.problems
    assert problem.line == 1
    assert "organisationsnummer" in problem.message
    with pytest.raises(ImportRejected):
        parse_clinic_csv("")


def test_blank_rows_are_skipped(store: Store) -> None:
    drafts = parse_clinic_csv(HEADER + "\n\n" + GOOD_ROWS + ";;;;;;;;;\n\n")
    assert len(drafts) == 3


def test_decode_csv_bytes() -> None:
    assert decode_csv_bytes("\ufeffnamn;ort\nÅsa;Umeå".encode()) == "namn;ort\nÅsa;Umeå"
    assert decode_csv_bytes("Åsa;Umeå".encode("cp1252")) == "Åsa;Umeå"
    assert decode_csv_bytes(b"") == ""


def test_an_unterminated_quote_is_named(store: Store) -> None:
    with pytest.raises(ImportRejected) as exc:
        parse_clinic_csv(HEADER + '\n"Trasig;5560360793;;;;;;;;nej\n')
    assert [p.line for p in exc.value.problems] == [2]


def test_a_header_only_file_imports_nothing(store: Store, actor: User) -> None:
    assert parse_clinic_csv(HEADER + "\n") == []
    assert import_clinics(store, actor, HEADER) == (0, 0)
