"""Emergency visits end to end: visit -> payer -> invoice or no invoice (RULES.md §5), the
manager's override, the weekend warning, the return report, and what is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from clinic_desk.domain.emergency import PayerKind, Placement
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.invoicing import PayerOverride, TreatmentDraft, VisitStatus
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.emergency import (
    close_emergency_visit,
    decide_payer,
    mark_return_report_sent,
    override_payer,
    register_emergency_visit,
    return_report_document,
)
from clinic_desk.workflows.invoices import invoice_document
from clinic_desk.workflows.staff import add_staff
from tests.unit.workflows.invoicing_support import (
    SATURDAY,
    TREATMENTS_TOTAL,
    UNIT_NAME,
    set_up_invoicing,
    visit_draft,
)

TODAY = date(2026, 11, 23)


@pytest.fixture
def ready(store: Store, actor: User, clinics: dict[str, int], dentist_id: int) -> dict[str, int]:
    set_up_invoicing(store, actor)
    return clinics


# (listed at, registered in region, placement, protected) -> (payer, invoiced clinic, report)
CASES = [
    # 1. protected identity: the commissioning unit, whatever else holds
    pytest.param(("third", True, Placement.NONE, True),
                 (PayerKind.COMMISSIONING_UNIT, "unit", True), id="1-protected"),
    pytest.param((None, False, Placement.INSIDE_REGION, True),
                 (PayerKind.COMMISSIONING_UNIT, "unit", False), id="1-protected-placed"),
    # 2. placed inside the region: registered here -> we bear the cost; elsewhere -> area clinic
    pytest.param(("third", True, Placement.INSIDE_REGION, False),
                 (PayerKind.NO_INVOICE, None, True), id="2-placed-inside-registered-here"),
    pytest.param((None, True, Placement.INSIDE_REGION, False),
                 (PayerKind.NO_INVOICE, None, False), id="2-placed-inside-not-listed"),
    pytest.param(("third", False, Placement.INSIDE_REGION, False),
                 (PayerKind.AREA_CLINIC, "other", True), id="2-placed-inside-from-other-region"),
    # 3. listed here: own patient, no emergency invoice
    pytest.param(("own", True, Placement.NONE, False),
                 (PayerKind.NO_INVOICE, None, False), id="3-own-patient"),
    # 4. listed at another clinic, in or outside the region
    pytest.param(("third", True, Placement.NONE, False),
                 (PayerKind.LISTING_CLINIC, "third", True), id="4-listed-elsewhere"),
    pytest.param(("third", False, Placement.NONE, False),
                 (PayerKind.LISTING_CLINIC, "third", True), id="4-listed-other-region"),
    # 5. not listed anywhere: the area-responsible clinic
    pytest.param((None, True, Placement.NONE, False),
                 (PayerKind.AREA_CLINIC, "other", False), id="5-not-listed"),
    # placement outside the region follows 3-5
    pytest.param(("own", True, Placement.OUTSIDE_REGION, False),
                 (PayerKind.NO_INVOICE, None, False), id="outside-own"),
    pytest.param(("third", True, Placement.OUTSIDE_REGION, False),
                 (PayerKind.LISTING_CLINIC, "third", True), id="outside-listed"),
    pytest.param((None, True, Placement.OUTSIDE_REGION, False),
                 (PayerKind.AREA_CLINIC, "other", False), id="outside-not-listed"),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "expected"), CASES)
def test_every_payer_rule_from_visit_to_invoice(
    store: Store,
    actor: User,
    ready: dict[str, int],
    dentist_id: int,
    facts: tuple[str | None, bool, Placement, bool],
    expected: tuple[PayerKind, str | None, bool],
) -> None:
    listed, registered, placement, protected = facts
    kind, invoiced, report = expected
    draft = visit_draft(
        dentist_id,
        listed_clinic_id=ready[listed] if listed else None,
        registered_in_region=registered,
        placement=placement,
        protected_identity=protected,
    )
    audit_before = store.audit.count()
    visit_id = register_emergency_visit(store, actor, draft, TODAY, close=True)
    assert store.audit.count() == audit_before + 1  # one action, one entry
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.status is VisitStatus.CLOSED
    assert visit.payer_kind is kind
    assert visit.payer_reason
    if invoiced is None:
        assert visit.invoice_id is None
        assert store.invoices.count() == 0
    else:
        assert visit.invoice_id is not None
        invoice = store.invoices.get(visit.invoice_id)
        assert invoice is not None
        assert invoice.total_ore == TREATMENTS_TOTAL
        assert invoice.payer_kind is kind
        if invoiced == "unit":
            assert invoice.buyer_name == UNIT_NAME
            assert invoice.buyer_clinic_id is None
        else:
            assert invoice.buyer_clinic_id == ready[invoiced]
        assert invoice_document(store, invoice.id).startswith(b"%PDF")
    assert (visit.return_report_document_id is not None) is report


def test_the_screen_says_why_and_names_the_clinic(
    store: Store, actor: User, ready: dict[str, int]
) -> None:
    decision = decide_payer(
        store,
        treatment_date=TODAY,
        listed_clinic_id=ready["third"],
        registered_in_region=True,
        placement=Placement.NONE,
        protected_identity=False,
    )
    assert decision.reason == (
        "Listad vid Tandläkarhuset Norrsken → faktureras Tandläkarhuset Norrsken."
    )
    unlisted = decide_payer(
        store,
        treatment_date=TODAY,
        listed_clinic_id=None,
        registered_in_region=True,
        placement=Placement.NONE,
        protected_identity=False,
    )
    assert "Folktandvården Björkbacken" in unlisted.reason
    assert unlisted.clinic_id == ready["other"]


def test_protected_identity_invoice_shows_a_case_number_only(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    draft = visit_draft(dentist_id, listed_clinic_id=ready["third"], protected_identity=True)
    visit_id = register_emergency_visit(store, actor, draft, TODAY, close=True)
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.invoice_id is not None
    invoice = store.invoices.get(visit.invoice_id)
    assert invoice is not None
    assert invoice.patient_reference == f"Ärende {visit.case_number}"
    text = " ".join(
        [invoice.patient_reference, invoice.service_text, *(x.description for x in invoice.lines)]
    )
    assert "Maja" not in text
    assert "20150307" not in text
    assert "Lindqvist" not in invoice_document(store, invoice.id).decode("latin-1")


def test_weekend_treatment_warns_but_is_allowed(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    draft = visit_draft(dentist_id, listed_clinic_id=ready["third"], treated_at=SATURDAY)
    visit_id = register_emergency_visit(store, actor, draft, TODAY, close=True)
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.area_duty
    assert visit.invoice_id is not None
    weekday = register_emergency_visit(
        store, actor, visit_draft(dentist_id, personal_id="20120101-2380"), TODAY
    )
    found = store.emergency.get(weekday)
    assert found is not None
    assert not found.area_duty


def test_a_manager_overrides_the_payer_with_a_reason(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    visit_id = register_emergency_visit(
        store, actor, visit_draft(dentist_id, listed_clinic_id=ready["third"]), TODAY
    )
    decision = override_payer(
        store,
        actor,
        visit_id,
        PayerOverride(PayerKind.AREA_CLINIC, ready["other"], "Jourhänvisning från Folktandvården"),
    )
    assert decision.overridden
    assert "Jourhänvisning" in decision.reason
    closed = close_emergency_visit(store, actor, visit_id, TODAY)
    assert closed.invoice_id is not None
    invoice = store.invoices.get(closed.invoice_id)
    assert invoice is not None
    assert invoice.buyer_clinic_id == ready["other"]
    override_entry = store.conn.execute(
        "SELECT detail FROM audit_log WHERE action='emergency.payer_override'"
    ).fetchone()
    assert "Jourhänvisning" in override_entry[0]


def test_only_a_manager_may_override(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    receptionist_id = add_staff(store, actor, "petra.ek", "Petra Ek", Profession.RECEPTIONIST)
    receptionist = store.users.get(receptionist_id)
    assert receptionist is not None
    override = PayerOverride(PayerKind.NO_INVOICE, None, "Goodwill")
    with pytest.raises(RuleViolation, match="klinikchef"):
        register_emergency_visit(
            store, receptionist, visit_draft(dentist_id, override=override), TODAY
        )
    assert store.emergency.count() == 0
    with pytest.raises(ValidationError) as exc:
        register_emergency_visit(
            store,
            actor,
            visit_draft(dentist_id, override=PayerOverride(PayerKind.LISTING_CLINIC, None, " ")),
            TODAY,
        )
    assert {e.field for e in exc.value.errors} == {"override_reason", "override_clinic"}


def test_a_code_without_a_price_on_the_date_is_refused(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    bad = (TreatmentDraft("999"), TreatmentDraft("103"))
    old = datetime(2019, 5, 2, 10, 0)  # 103 is priced from 2024 in the sample list
    with pytest.raises(ValidationError) as exc:
        register_emergency_visit(store, actor, visit_draft(dentist_id, treatments=bad), TODAY)
    assert "999" in str(exc.value)
    with pytest.raises(ValidationError, match="2019-05-02"):
        register_emergency_visit(store, actor, visit_draft(dentist_id, treated_at=old), TODAY)
    assert store.patients.count_all() == 0
    assert store.emergency.count() == 0


def test_closing_without_the_unit_address_changes_nothing(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    store.settings.set("commissioning_unit", {"name": "", "address": []}, actor.id)
    with pytest.raises(ValidationError, match="Beställarenhetens"):
        register_emergency_visit(
            store, actor, visit_draft(dentist_id, protected_identity=True), TODAY, close=True
        )
    assert store.emergency.count() == 0
    assert store.invoices.last_number() == 0


def test_an_existing_patient_is_used_and_a_new_one_registered_once(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    first = register_emergency_visit(store, actor, visit_draft(dentist_id), TODAY)
    second = register_emergency_visit(store, actor, visit_draft(dentist_id), TODAY)
    visits = [store.emergency.get(first), store.emergency.get(second)]
    assert visits[0] is not None
    assert visits[1] is not None
    assert visits[0].patient_id == visits[1].patient_id
    assert store.patients.count_all() == 1
    assert visits[0].guardian_phone == "070-123 45 67"
    assert [t.code for t in visits[0].treatments] == ["103", "301", "401"]
    assert visits[0].treatments[1].tooth == "46"


def test_the_return_report_is_listed_until_marked_sent(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    visit_id = register_emergency_visit(
        store, actor, visit_draft(dentist_id, listed_clinic_id=ready["third"]), TODAY, close=True
    )
    assert [v.id for v in store.emergency.return_reports_unsent()] == [visit_id]
    pdf = return_report_document(store, visit_id)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(ValidationError):
        mark_return_report_sent(store, actor, visit_id, date(2026, 12, 1), TODAY)
    mark_return_report_sent(store, actor, visit_id, TODAY, TODAY)
    assert store.emergency.return_reports_unsent() == []
    with pytest.raises(RuleViolation, match="redan"):
        mark_return_report_sent(store, actor, visit_id, TODAY, TODAY)


def test_a_closed_visit_cannot_be_closed_or_overridden_again(
    store: Store, actor: User, ready: dict[str, int], dentist_id: int
) -> None:
    visit_id = register_emergency_visit(store, actor, visit_draft(dentist_id), TODAY, close=True)
    with pytest.raises(RuleViolation, match="redan avslutat"):
        close_emergency_visit(store, actor, visit_id, TODAY)
    with pytest.raises(RuleViolation, match="Kreditera"):
        override_payer(
            store, actor, visit_id, PayerOverride(PayerKind.NO_INVOICE, None, "Fel betalare")
        )


def test_register_checks_every_field(store: Store, actor: User, ready: dict[str, int]) -> None:
    draft = replace(
        visit_draft(0, personal_id="20150307-2388", treatments=()),
        treated_at=datetime(2026, 12, 24, 10, 0),
        practitioner_id=None,
    )
    with pytest.raises(ValidationError) as exc:
        register_emergency_visit(store, actor, draft, TODAY)
    assert {e.field for e in exc.value.errors} >= {
        "practitioner",
        "treated_at",
        "treatments",
        "personal_id",
    }
