"""Emergency visits and the treatments given at them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from clinic_desk.domain.emergency import PayerKind, Placement
from clinic_desk.domain.invoicing import EmergencyVisit, VisitStatus, VisitTreatment
from clinic_desk.domain.people import PROTECTED_MASK
from clinic_desk.store.rows import to_date

_SELECT = """
SELECT v.id, v.patient_id, p.first_name, p.last_name, p.personal_id, v.treated_at,
       v.practitioner_id, coalesce(u.full_name, ''), v.listed_clinic_id,
       coalesce(lc.name, ''), v.registered_in_region, v.placement, v.protected_identity,
       v.guardian_phone, v.complaint, v.findings, v.advice, v.payer_kind, v.payer_clinic_id,
       coalesce(pc.name, ''), v.payer_reason, v.override_reason, v.area_duty, v.status,
       v.case_number, v.invoice_id, i.number, v.return_report_document_id,
       v.return_report_sent_on
FROM emergency_visits v
JOIN patients p ON p.id = v.patient_id
LEFT JOIN users u ON u.id = v.practitioner_id
LEFT JOIN clinics lc ON lc.id = v.listed_clinic_id
LEFT JOIN clinics pc ON pc.id = v.payer_clinic_id
LEFT JOIN invoices i ON i.id = v.invoice_id
"""


@dataclass(frozen=True)
class NewVisit:
    """The columns of a visit row as the workflow decided them."""

    patient_id: int
    treated_at: datetime
    practitioner_id: int | None
    listed_clinic_id: int | None
    registered_in_region: bool
    placement: Placement
    protected_identity: bool
    guardian_phone: str
    complaint: str
    findings: str
    advice: str
    payer_kind: PayerKind
    payer_clinic_id: int | None
    payer_reason: str
    override_reason: str
    area_duty: bool


def _opt_int(value: object) -> int | None:
    return int(str(value)) if value is not None else None


class EmergencyRepository:
    """SQL for emergency_visits and emergency_treatments."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # -- writing -------------------------------------------------------------------------
    def insert(self, visit: NewVisit, user_id: int) -> int:
        """Store a new (open) visit; returns its id."""
        stamp = self._stamp()
        cursor = self._conn.execute(
            "INSERT INTO emergency_visits (patient_id, treated_at, treatment_date,"
            " practitioner_id, listed_clinic_id, registered_in_region, placement,"
            " protected_identity, guardian_phone, complaint, findings, advice, payer_kind,"
            " payer_clinic_id, payer_reason, override_reason, area_duty, status, created_at,"
            " created_by, updated_at, updated_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'open',?,?,?,?)",
            (
                visit.patient_id,
                visit.treated_at.isoformat(timespec="minutes"),
                visit.treated_at.date().isoformat(),
                visit.practitioner_id,
                visit.listed_clinic_id,
                int(visit.registered_in_region),
                visit.placement.value,
                int(visit.protected_identity),
                visit.guardian_phone,
                visit.complaint,
                visit.findings,
                visit.advice,
                visit.payer_kind.value,
                visit.payer_clinic_id,
                visit.payer_reason,
                visit.override_reason,
                int(visit.area_duty),
                stamp,
                user_id,
                stamp,
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def set_case_number(self, visit_id: int, case_number: str) -> None:
        """Give the visit its case number (made from its id, so set right after insert)."""
        self._conn.execute(
            "UPDATE emergency_visits SET case_number=? WHERE id=?", (case_number, visit_id)
        )

    def add_treatment(
        self,
        visit_id: int,
        position: int,
        code: str,
        name: str,
        price_ore: int,
        tooth: str,
        note: str,
        user_id: int,
    ) -> int:
        """Store one treatment of a visit with the price that applied."""
        cursor = self._conn.execute(
            "INSERT INTO emergency_treatments (visit_id, position, code, name, price_ore, tooth,"
            " note, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
            (visit_id, position, code, name, price_ore, tooth, note, self._stamp(), user_id),
        )
        return int(cursor.lastrowid or 0)

    def set_payer(
        self,
        visit_id: int,
        kind: PayerKind,
        clinic_id: int | None,
        reason: str,
        override_reason: str,
        user_id: int,
    ) -> None:
        """Record who pays (a manager's override keeps its reason)."""
        self._conn.execute(
            "UPDATE emergency_visits SET payer_kind=?, payer_clinic_id=?, payer_reason=?,"
            " override_reason=?, updated_at=?, updated_by=? WHERE id=?",
            (kind.value, clinic_id, reason, override_reason, self._stamp(), user_id, visit_id),
        )

    def close(self, visit_id: int, return_report_document_id: int | None, user_id: int) -> None:
        """Mark the visit closed, with its return report if one was made."""
        stamp = self._stamp()
        self._conn.execute(
            "UPDATE emergency_visits SET status='closed', return_report_document_id=?,"
            " closed_at=?, closed_by=?, updated_at=?, updated_by=? WHERE id=?",
            (return_report_document_id, stamp, user_id, stamp, user_id, visit_id),
        )

    def set_invoice(self, visit_ids: Sequence[int], invoice_id: int, user_id: int) -> None:
        """Link visits to the invoice that bills them."""
        stamp = self._stamp()
        self._conn.executemany(
            "UPDATE emergency_visits SET invoice_id=?, updated_at=?, updated_by=? WHERE id=?",
            [(invoice_id, stamp, user_id, visit_id) for visit_id in visit_ids],
        )

    def mark_return_report_sent(self, visit_id: int, sent_on: date, user_id: int) -> None:
        """Record that the return report went to the home clinic."""
        self._conn.execute(
            "UPDATE emergency_visits SET return_report_sent_on=?, return_report_sent_by=?,"
            " updated_at=?, updated_by=? WHERE id=?",
            (sent_on.isoformat(), user_id, self._stamp(), user_id, visit_id),
        )

    # -- reading -------------------------------------------------------------------------
    def _visit(
        self, row: tuple[object, ...], treatments: tuple[VisitTreatment, ...]
    ) -> EmergencyVisit:
        protected = bool(row[12])
        name = PROTECTED_MASK if protected else f"{row[3]}, {row[2]}"
        return EmergencyVisit(
            id=int(str(row[0])),
            patient_id=int(str(row[1])),
            patient_name=name,
            personal_id=str(row[4]),
            treated_at=datetime.fromisoformat(str(row[5])),
            practitioner_id=_opt_int(row[6]),
            practitioner_name=str(row[7]),
            listed_clinic_id=_opt_int(row[8]),
            listed_clinic_name=str(row[9]),
            registered_in_region=bool(row[10]),
            placement=Placement(str(row[11])),
            protected_identity=protected,
            guardian_phone=str(row[13]),
            complaint=str(row[14]),
            findings=str(row[15]),
            advice=str(row[16]),
            payer_kind=PayerKind(str(row[17])),
            payer_clinic_id=_opt_int(row[18]),
            payer_name=str(row[19]),
            payer_reason=str(row[20]),
            override_reason=str(row[21]),
            area_duty=bool(row[22]),
            status=VisitStatus(str(row[23])),
            case_number=str(row[24]),
            invoice_id=_opt_int(row[25]),
            invoice_number=_opt_int(row[26]),
            return_report_document_id=_opt_int(row[27]),
            return_report_sent_on=to_date(row[28]),
            treatments=treatments,
        )

    def _treatments(self, visit_ids: list[int]) -> dict[int, tuple[VisitTreatment, ...]]:
        found: dict[int, list[VisitTreatment]] = {visit_id: [] for visit_id in visit_ids}
        for start in range(0, len(visit_ids), 500):
            chunk = visit_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._conn.execute(
                "SELECT visit_id, id, code, name, price_ore, tooth, note FROM emergency_treatments"
                f" WHERE visit_id IN ({marks}) ORDER BY visit_id, position",
                chunk,
            ):
                found[int(r[0])].append(
                    VisitTreatment(int(r[1]), str(r[2]), str(r[3]), int(r[4]), str(r[5]), str(r[6]))
                )
        return {key: tuple(value) for key, value in found.items()}

    def _many(self, where: str, params: Sequence[object]) -> list[EmergencyVisit]:
        rows = self._conn.execute(
            f"{_SELECT} WHERE {where} ORDER BY v.treated_at DESC, v.id DESC", params
        ).fetchall()
        treatments = self._treatments([int(r[0]) for r in rows])
        return [self._visit(r, treatments[int(r[0])]) for r in rows]

    def get(self, visit_id: int) -> EmergencyVisit | None:
        """One visit with its treatments."""
        found = self._many("v.id = ?", (visit_id,))
        return found[0] if found else None

    def for_patient(self, patient_id: int) -> list[EmergencyVisit]:
        """A patient's emergency visits, newest first."""
        return self._many("v.patient_id = ?", (patient_id,))

    def between(
        self, first: date, last: date, *, return_report_unsent: bool = False
    ) -> list[EmergencyVisit]:
        """Visits treated in [first, last], newest first; optionally only those whose return
        report is made but not yet sent."""
        where = "v.treatment_date BETWEEN ? AND ?"
        if return_report_unsent:
            where += (
                " AND v.return_report_document_id IS NOT NULL AND v.return_report_sent_on IS NULL"
            )
        return self._many(where, (first.isoformat(), last.isoformat()))

    def return_reports_unsent(self) -> list[EmergencyVisit]:
        """Every visit whose return report is made but not yet sent, oldest first."""
        found = self._many(
            "v.return_report_document_id IS NOT NULL AND v.return_report_sent_on IS NULL", ()
        )
        return list(reversed(found))

    def awaiting_collective_invoice(self, first: date, last: date) -> list[EmergencyVisit]:
        """Closed visits in [first, last] that someone pays for but no invoice bills yet."""
        found = self._many(
            "v.status = 'closed' AND v.invoice_id IS NULL AND v.payer_kind <> 'no_invoice'"
            " AND v.treatment_date BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
        return list(reversed(found))

    def for_invoice(self, invoice_id: int) -> list[EmergencyVisit]:
        """The visits an invoice bills, oldest first."""
        return list(reversed(self._many("v.invoice_id = ?", (invoice_id,))))

    def count(self) -> int:
        """How many emergency visits there are."""
        return int(self._conn.execute("SELECT count(*) FROM emergency_visits").fetchone()[0])
