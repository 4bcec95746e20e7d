"""Emergency care of other clinics' patients: register the visit, decide who pays, close it
(which issues the invoice and the return report to the home clinic), follow up the reports.

Each public function is one user action: one transaction, one audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_desk.documents.return_report_pdf import return_report_pdf
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.emergency import (
    EmergencyCase,
    PayerKind,
    Placement,
    emergency_payer,
    is_area_clinic_duty,
    payer_reason,
)
from clinic_desk.domain.errors import FieldError, NotFound, RuleViolation, ValidationError
from clinic_desk.domain.invoicing import (
    EmergencyVisit,
    EmergencyVisitDraft,
    PayerOverride,
    VisitStatus,
    case_number,
    payer_label,
)
from clinic_desk.domain.listing import responsible_listing_on
from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.domain.patient_validation import validate_patient_draft
from clinic_desk.domain.people import Patient, User, format_postal_code
from clinic_desk.domain.permissions import Permission, require, requires
from clinic_desk.store.emergency import NewVisit
from clinic_desk.store.store import Store
from clinic_desk.workflows.invoice_settings import load_invoice_settings
from clinic_desk.workflows.invoices import issue_for_visits, own_clinic

RETURN_REPORT_DOC = "return_report"
AREA_DUTY_WARNING = (
    "Helg eller helgdag: akut tandvård är då den områdesansvariga klinikens uppdrag "
    "(Folktandvården). Behandlingen kan ändå registreras."
)


@dataclass(frozen=True)
class PayerDecision:
    """Who pays and why, as the screen shows it before saving."""

    kind: PayerKind
    clinic_id: int | None
    clinic_name: str
    reason: str
    area_duty: bool
    overridden: bool = False


@dataclass(frozen=True)
class ClosedVisit:
    """What closing a visit produced."""

    visit_id: int
    invoice_id: int | None
    invoice_number: int | None
    return_report_document_id: int | None


def area_clinic(store: Store, chosen: int | None = None) -> Clinic | None:
    """The area-responsible clinic to invoice: the one chosen, else the first active one."""
    if chosen is not None:
        clinic = store.clinics.get(chosen)
        return clinic if clinic is not None and clinic.area_responsible else None
    return next((c for c in store.clinics.all() if c.area_responsible and not c.is_own), None)


def listed_clinic_on(store: Store, patient_id: int, day: date) -> int | None:
    """The clinic responsible for a registered patient on `day` (a default for the form)."""
    listing = responsible_listing_on(store.listings.for_patient(patient_id), day)
    return listing.clinic_id if listing else None


def decide_payer(
    store: Store,
    *,
    treatment_date: date,
    listed_clinic_id: int | None,
    registered_in_region: bool,
    placement: Placement,
    protected_identity: bool,
    area_clinic_id: int | None = None,
    override: PayerOverride | None = None,
) -> PayerDecision:
    """Apply RULES.md §5 (emergency_payer) and say why, naming the clinic invoiced."""
    own = store.clinics.own()
    if own is None:
        raise RuleViolation("Lägg in den egna kliniken under Register → Kliniker först.")
    duty = is_area_clinic_duty(treatment_date)
    if override is not None:
        name = _clinic_name(store, override.clinic_id)
        return PayerDecision(
            override.kind,
            override.clinic_id,
            name,
            f"Ändrat av klinikchef: {override.reason.strip()} → "
            + (f"faktureras {name}." if name else f"{payer_label(override.kind).lower()}."),
            duty,
            overridden=True,
        )
    case = EmergencyCase(
        treating_clinic=str(own.id),
        listed_clinic=str(listed_clinic_id) if listed_clinic_id is not None else None,
        registered_in_region=registered_in_region,
        placement=placement,
        protected_identity=protected_identity,
    )
    kind, clinic = emergency_payer(case)
    reason = payer_reason(case)
    if kind is PayerKind.LISTING_CLINIC:
        assert clinic is not None
        name = _clinic_name(store, int(clinic))
        return PayerDecision(
            kind, int(clinic), name, f"Listad vid {name} → faktureras {name}.", duty
        )
    if kind is PayerKind.AREA_CLINIC:
        area = area_clinic(store, area_clinic_id)
        if area is None:
            return PayerDecision(
                kind,
                None,
                "",
                reason + " Ingen områdesansvarig klinik finns i klinikregistret: markera "
                "Folktandvårdens klinik som områdesansvarig under Register → Kliniker.",
                duty,
            )
        return PayerDecision(
            kind,
            area.id,
            area.name,
            reason.removesuffix(".") + f" ({area.name}).",
            duty,
        )
    return PayerDecision(kind, None, "", reason, duty)


def _clinic_name(store: Store, clinic_id: int | None) -> str:
    clinic = store.clinics.get(clinic_id) if clinic_id is not None else None
    return clinic.name if clinic else ""


def _check_override(store: Store, actor: User, override: PayerOverride) -> None:
    # Changing who pays is a billing correction: those who may issue credit notes decide.
    require(actor, Permission.ISSUE_CREDIT_NOTES)
    errors: list[FieldError] = []
    if not override.reason.strip():
        errors.append(FieldError("override_reason", "Skriv varför betalaren ändras."))
    needs_clinic = override.kind in (PayerKind.LISTING_CLINIC, PayerKind.AREA_CLINIC)
    if needs_clinic and store.clinics.get(override.clinic_id or 0) is None:
        errors.append(FieldError("override_clinic", "Välj vilken klinik som ska faktureras."))
    if not needs_clinic and override.clinic_id is not None:
        errors.append(
            FieldError("override_clinic", "Ingen klinik ska väljas för den här betalaren.")
        )
    if errors:
        raise ValidationError(errors)


def _patient_for(
    store: Store, actor: User, draft: EmergencyVisitDraft, today: date
) -> tuple[int, bool]:
    """The visit's patient: the one picked, the one with the typed number, or a new one."""
    if draft.patient_id is not None:
        if store.patients.get(draft.patient_id) is None:
            raise NotFound(f"Patienten finns inte (id {draft.patient_id}).")
        return draft.patient_id, False
    new = draft.new_patient
    if new is None:
        raise ValidationError([FieldError("patient", "Välj en patient eller fyll i en ny.")])
    identity = validate_patient_draft(
        PatientDraft(
            new.personal_id,
            new.first_name,
            new.last_name,
            protected_identity=draft.protected_identity,
            registered_in_region=draft.registered_in_region,
        ),
        today,
    )
    personal_id = identity.canonical or store.patients.next_reserve_number(identity.birth_date)
    existing = store.patients.by_personal_id(personal_id)
    if existing is not None:
        return existing.id, False
    patient = Patient(
        id=0,
        personal_id=personal_id,
        birth_date=identity.birth_date,
        is_reserve_number=identity.is_reserve_number,
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        address_line="",
        postal_code=format_postal_code(""),
        city="",
        phone="",
        email="",
        responsible_dentist_id=None,
        protected_identity=draft.protected_identity,
        registered_in_region=draft.registered_in_region,
    )
    return store.patients.insert(patient, actor.id), True


def _validate_visit(store: Store, draft: EmergencyVisitDraft, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    if draft.practitioner_id is None or store.users.get(draft.practitioner_id) is None:
        errors.append(FieldError("practitioner", "Välj vem som behandlade patienten."))
    if draft.treated_at.date() > today:
        errors.append(FieldError("treated_at", "Behandlingen kan inte ligga i framtiden."))
    if not draft.treatments:
        errors.append(FieldError("treatments", "Lägg till minst en åtgärd från prislistan."))
    for number, treatment in enumerate(draft.treatments, start=1):
        code = treatment.code.strip()
        if store.price_lists.price_on(code, draft.treated_at.date()) is None:
            errors.append(
                FieldError(
                    "treatments",
                    f"Åtgärd {number}: koden {code or '(tom)'} har inget pris "
                    f"{draft.treated_at.date().isoformat()} i prislistan.",
                )
            )
    if draft.listed_clinic_id is not None and store.clinics.get(draft.listed_clinic_id) is None:
        errors.append(FieldError("listed_clinic", "Listningskliniken finns inte i registret."))
    if draft.new_patient is not None and draft.patient_id is None:
        try:
            validate_patient_draft(
                PatientDraft(
                    draft.new_patient.personal_id,
                    draft.new_patient.first_name,
                    draft.new_patient.last_name,
                ),
                today,
            )
        except ValidationError as exc:
            errors += list(exc.errors)
    elif draft.patient_id is None:
        errors.append(FieldError("patient", "Välj en patient eller fyll i en ny."))
    return errors


@requires(Permission.REGISTER_EMERGENCY)
def register_emergency_visit(
    store: Store,
    actor: User,
    draft: EmergencyVisitDraft,
    today: date,
    *,
    close: bool = False,
) -> int:
    """Register an emergency visit (and a new patient if needed); with `close`, also close it
    at once: invoice and return report in the same transaction. Returns the visit id."""
    if close:
        require(actor, Permission.ISSUE_INVOICES)
    if draft.override is not None:
        _check_override(store, actor, draft.override)
    errors = _validate_visit(store, draft, today)
    if errors:
        raise ValidationError(errors)
    with store.transaction():
        patient_id, created = _patient_for(store, actor, draft, today)
        decision = decide_payer(
            store,
            treatment_date=draft.treated_at.date(),
            listed_clinic_id=draft.listed_clinic_id,
            registered_in_region=draft.registered_in_region,
            placement=draft.placement,
            protected_identity=draft.protected_identity,
            area_clinic_id=draft.area_clinic_id,
            override=draft.override,
        )
        visit_id = store.emergency.insert(
            NewVisit(
                patient_id=patient_id,
                treated_at=draft.treated_at,
                practitioner_id=draft.practitioner_id,
                listed_clinic_id=draft.listed_clinic_id,
                registered_in_region=draft.registered_in_region,
                placement=draft.placement,
                protected_identity=draft.protected_identity,
                guardian_phone=draft.guardian_phone.strip()
                or (draft.new_patient.guardian_phone.strip() if draft.new_patient else ""),
                complaint=draft.complaint.strip(),
                findings=draft.findings.strip(),
                advice=draft.advice.strip(),
                payer_kind=decision.kind,
                payer_clinic_id=decision.clinic_id,
                payer_reason=decision.reason,
                override_reason=draft.override.reason.strip() if draft.override else "",
                area_duty=decision.area_duty,
            ),
            actor.id,
        )
        store.emergency.set_case_number(visit_id, case_number(visit_id, draft.treated_at.date()))
        for position, treatment in enumerate(draft.treatments, start=1):
            price = store.price_lists.price_on(treatment.code.strip(), draft.treated_at.date())
            assert price is not None  # checked above, in the same database
            store.emergency.add_treatment(
                visit_id,
                position,
                price.code,
                price.name,
                price.price_ore,
                treatment.tooth.strip(),
                treatment.note.strip(),
                actor.id,
            )
        closed = _close(store, actor, visit_id, today) if close else None
        store.audit.append(
            actor.id,
            "emergency.register",
            patient_id=patient_id,
            entity="emergency_visit",
            entity_id=visit_id,
            detail={
                "new_patient": created,
                "payer": decision.kind.value,
                "payer_clinic": decision.clinic_id,
                "override": draft.override.reason.strip() if draft.override else "",
                "area_duty": decision.area_duty,
                "closed": close,
                "invoice": closed.invoice_number if closed else None,
                "return_report": closed.return_report_document_id if closed else None,
            },
        )
    return visit_id


def _require_visit(store: Store, visit_id: int) -> EmergencyVisit:
    visit = store.emergency.get(visit_id)
    if visit is None:
        raise NotFound(f"Akutbesöket finns inte (id {visit_id}).")
    return visit


def _close(store: Store, actor: User, visit_id: int, today: date) -> ClosedVisit:
    """Close a visit inside the caller's transaction: invoice (unless nobody is invoiced or
    the clinic invoices monthly) and the return report to the home clinic."""
    visit = _require_visit(store, visit_id)
    if visit.status is VisitStatus.CLOSED:
        raise RuleViolation("Besöket är redan avslutat.")
    seller = own_clinic(store)
    settings = load_invoice_settings(store)
    invoice_id = invoice_number = None
    if visit.payer_kind is not PayerKind.NO_INVOICE:
        if visit.payer_kind is not PayerKind.COMMISSIONING_UNIT and visit.payer_clinic_id is None:
            raise ValidationError(
                [FieldError("payer", "Ingen klinik att fakturera. Välj betalare först.")]
            )
        if not settings.collective_monthly:
            invoice = issue_for_visits(store, actor, [visit], today, settings, seller)
            invoice_id, invoice_number = invoice.id, invoice.number
    document_id = None
    home = store.clinics.get(visit.listed_clinic_id) if visit.listed_clinic_id else None
    if home is not None and not home.is_own:
        document = store.documents.add(
            RETURN_REPORT_DOC,
            f"Återföring {visit.case_number}",
            return_report_pdf(visit, seller, home),
            actor.id,
            patient_id=visit.patient_id,
            source_table="emergency_visits",
            source_id=visit.id,
            recipient=home.name,
        )
        document_id = document.id
    store.emergency.close(visit.id, document_id, actor.id)
    return ClosedVisit(visit.id, invoice_id, invoice_number, document_id)


@requires(Permission.ISSUE_INVOICES)
def close_emergency_visit(store: Store, actor: User, visit_id: int, today: date) -> ClosedVisit:
    """Close an open visit: the invoice and the return report are made and archived."""
    with store.transaction():
        closed = _close(store, actor, visit_id, today)
        visit = _require_visit(store, visit_id)
        store.audit.append(
            actor.id,
            "emergency.close",
            patient_id=visit.patient_id,
            entity="emergency_visit",
            entity_id=visit_id,
            detail={
                "invoice": closed.invoice_number,
                "return_report": closed.return_report_document_id,
            },
        )
    return closed


@requires(Permission.ISSUE_CREDIT_NOTES)
def override_payer(
    store: Store, actor: User, visit_id: int, override: PayerOverride
) -> PayerDecision:
    """A clinic manager decides who pays for an open visit, with a reason (logged)."""
    _check_override(store, actor, override)
    with store.transaction():
        visit = _require_visit(store, visit_id)
        if visit.status is not VisitStatus.OPEN:
            raise RuleViolation(
                "Besöket är avslutat och fakturerat. Kreditera fakturan och registrera rätt "
                "betalare på ett nytt besök."
            )
        decision = decide_payer(
            store,
            treatment_date=visit.treatment_date,
            listed_clinic_id=visit.listed_clinic_id,
            registered_in_region=visit.registered_in_region,
            placement=visit.placement,
            protected_identity=visit.protected_identity,
            override=override,
        )
        store.emergency.set_payer(
            visit_id, decision.kind, decision.clinic_id, decision.reason, override.reason.strip(),
            actor.id,
        )  # fmt: skip
        store.audit.append(
            actor.id,
            "emergency.payer_override",
            patient_id=visit.patient_id,
            entity="emergency_visit",
            entity_id=visit_id,
            detail={
                "from": visit.payer_kind.value,
                "from_clinic": visit.payer_clinic_id,
                "to": decision.kind.value,
                "to_clinic": decision.clinic_id,
                "reason": override.reason.strip(),
            },
        )
    return decision


@requires(Permission.REGISTER_EMERGENCY)
def mark_return_report_sent(
    store: Store, actor: User, visit_id: int, sent_on: date, today: date
) -> None:
    """Record that the return report went to the home clinic."""
    if sent_on > today:
        raise ValidationError([FieldError("sent_on", "Datumet ligger i framtiden.")])
    with store.transaction():
        visit = _require_visit(store, visit_id)
        if visit.return_report_document_id is None:
            raise RuleViolation("Besöket har ingen återföring att skicka.")
        if visit.return_report_sent_on is not None:
            raise RuleViolation(
                f"Återföringen skickades redan {visit.return_report_sent_on.isoformat()}."
            )
        store.emergency.mark_return_report_sent(visit_id, sent_on, actor.id)
        store.audit.append(
            actor.id,
            "emergency.return_report_sent",
            patient_id=visit.patient_id,
            entity="emergency_visit",
            entity_id=visit_id,
            detail={"sent_on": sent_on.isoformat(), "to": visit.listed_clinic_name},
        )


def return_report_document(store: Store, visit_id: int) -> bytes:
    """The archived return report PDF of a visit."""
    visit = _require_visit(store, visit_id)
    if visit.return_report_document_id is None:
        raise NotFound("Besöket har ingen återföring.")
    return store.documents.content(visit.return_report_document_id)
