"""SQL for the compliance dashboard: the facts the checks read, the daily snapshots, and
the imported contract rule sets.

The patient query reads only candidates, found through indexes with bounds loose enough to
hold every patient a check could flag (the checks in domain/compliance.py decide exactly):
last revision older than the shortest cap, last dentist exam older than the shortest gap,
never examined, turning 3 or 19 this year, a latest exam without tobacco habits or bite
check at the ages the rules name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib.resources import files
from typing import Any

from clinic_desk.domain.care_rules import add_months
from clinic_desk.domain.compliance import (
    EmergencyFact,
    InvoiceFact,
    NoShowFact,
    OpenConcern,
    PatientFacts,
    PatientRef,
    UnsignedExam,
)
from clinic_desk.domain.contract_rules import ContractRules, parse_rules
from clinic_desk.domain.no_show import window_start
from clinic_desk.domain.people import shown_name
from clinic_desk.store.rows import req_date, to_date

SHIPPED_RULES = ("contract-rules-vasterbotten-2025.json",)
"""Rule sets shipped in clinic_desk.resources; an imported set for the same year wins."""

_LISTED_HERE = (
    "EXISTS (SELECT 1 FROM listings l WHERE l.patient_id = p.id AND l.clinic_id = :clinic"
    " AND l.responsible_from <= :today"
    " AND (l.responsible_to IS NULL OR l.responsible_to >= :today))"
)


def _ref(patient_id: Any, personal_id: Any, first: Any, last: Any, protected: Any) -> PatientRef:
    return PatientRef(
        int(patient_id), str(personal_id), shown_name(str(first), str(last), bool(protected))
    )


class ComplianceRepository:
    """Reads for the compliance checks; writes only snapshots and rule sets."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # -- contract rule sets ---------------------------------------------------------------
    def rule_sets(self) -> list[ContractRules]:
        """The shipped sets and every imported one; for a year imported twice, the newest."""
        by_year: dict[int, ContractRules] = {}
        for name in SHIPPED_RULES:
            rules = parse_rules((files("clinic_desk.resources") / name).read_text("utf-8"))
            by_year[rules.valid_from_year] = rules
        for (body,) in self._conn.execute(
            "SELECT body FROM contract_rule_sets ORDER BY valid_from_year, id"
        ):
            rules = parse_rules(str(body))
            by_year[rules.valid_from_year] = rules
        return [by_year[year] for year in sorted(by_year)]

    def add_rule_set(
        self, rules: ContractRules, body: str, file_name: str, sha256: str, user_id: int
    ) -> int:
        """Store an imported (already checked) rule set."""
        cursor = self._conn.execute(
            "INSERT INTO contract_rule_sets (valid_from_year, region, body, file_name, sha256,"
            " created_at, created_by) VALUES (?,?,?,?,?,?,?)",
            (rules.valid_from_year, rules.region, body, file_name, sha256, self._stamp(), user_id),
        )
        return int(cursor.lastrowid or 0)

    # -- patients -------------------------------------------------------------------------
    def patient_facts(
        self, clinic_id: int, today: date, now: datetime, rules: ContractRules
    ) -> list[PatientFacts]:
        """Candidate patients listed at the clinic today, in the target group."""
        sql, params = self.patient_facts_sql(clinic_id, today, now, rules)
        return [_patient(r) for r in self._conn.execute(sql, params)]

    @staticmethod
    def patient_facts_sql(
        clinic_id: int, today: date, now: datetime, rules: ContractRules
    ) -> tuple[str, dict[str, object]]:
        """The candidate query and its parameters (the benchmark runs it raw)."""
        year = today.year
        params: dict[str, object] = {
            "clinic": clinic_id,
            "today": today.isoformat(),
            "now": now.isoformat(timespec="minutes"),
            "born_from": f"{year - rules.target_last_age:04d}-01-01",
            "born_to": f"{year - rules.target_first_age:04d}-12-31",
            "last_from": f"{year - rules.target_last_age:04d}-01-01",
            "last_to": f"{year - rules.target_last_age:04d}-12-31",
            # a few days' slack: month ends clamp differently in the two directions
            "revision_child": (
                add_months(today, -rules.child_interval_months) + timedelta(days=4)
            ).isoformat(),
            "revision_young": (
                add_months(today, -rules.young_interval_months) + timedelta(days=4)
            ).isoformat(),
            "child_born_after": (
                add_months(today, -12 * (rules.last_child_age + 1)) - timedelta(days=2)
            ).isoformat(),
            "dentist_before": add_months(
                today, -12 * min(rules.child_gap_years, rules.young_gap_years)
            ).isoformat(),
            "tobacco_age": rules.tobacco_from_age,
            "bite_from": rules.bite_check_from_age,
            "bite_to": rules.bite_check_to_age,
        }
        candidates = " UNION ".join(
            [
                # last revision older than the cap for the age today (child or young adult)
                "SELECT r.patient_id FROM recall_due r JOIN patients pr ON pr.id = r.patient_id"
                " WHERE r.exam_date < :revision_young OR (r.exam_date < :revision_child"
                " AND pr.birth_date >= :child_born_after)",
                # last dentist exam older than the shortest gap
                "SELECT patient_id FROM exams WHERE signed_at IS NOT NULL"
                " AND kind = 'dentist_revision' GROUP BY patient_id"
                " HAVING max(exam_date) < :dentist_before",
                # never examined, past the first-exam year; turning 3 this year
                "SELECT p.id FROM patients p WHERE p.birth_date BETWEEN :born_from AND :born_to"
                " AND p.id NOT IN (SELECT patient_id FROM exams WHERE signed_at IS NOT NULL"
                " AND kind = 'dentist_revision')",
                # turning 19 this year with a time booked from now on
                "SELECT a.patient_id FROM appointments a JOIN patients p19"
                " ON p19.id = a.patient_id WHERE a.start_at >= :now"
                " AND a.status IN ('summoned', 'agreed')"
                " AND p19.birth_date BETWEEN :last_from AND :last_to",
                # an exam without tobacco habits at the age they are due
                "SELECT patient_id FROM exams WHERE signed_at IS NOT NULL"
                " AND tobacco_recorded = 0 AND age_at_exam >= :tobacco_age",
                # the latest revision exam without bite check at the ages it is due
                "SELECT r.patient_id FROM exams e JOIN recall_due r ON r.exam_id = e.id"
                " WHERE e.signed_at IS NOT NULL AND e.bite_check = 'not_done'"
                " AND e.kind IN ('dentist_revision', 'hygienist_revision')"
                " AND e.age_at_exam BETWEEN :bite_from AND :bite_to",
            ]
        )
        sql = (
            "SELECT p.id, p.personal_id, p.first_name, p.last_name, p.birth_date,"
            " p.protected_identity, r.exam_date, re.age_at_exam, re.bite_check,"
            " (SELECT max(d.exam_date) FROM exams d WHERE d.patient_id = p.id"
            "  AND d.signed_at IS NOT NULL AND d.kind = 'dentist_revision'),"
            " (SELECT x.exam_date || '|' || x.age_at_exam || '|' || x.tobacco_recorded"
            "  FROM exams x WHERE x.patient_id = p.id AND x.signed_at IS NOT NULL"
            "  ORDER BY x.exam_date DESC, x.id DESC LIMIT 1),"
            " (SELECT min(a.start_at) FROM appointments a WHERE a.patient_id = p.id"
            "  AND a.start_at >= :now AND a.status IN ('summoned', 'agreed'))"
            f" FROM ({candidates}) AS c JOIN patients p ON p.id = c.patient_id"
            " LEFT JOIN recall_due r ON r.patient_id = p.id"
            " LEFT JOIN exams re ON re.id = r.exam_id"
            " WHERE p.end_date IS NULL AND p.birth_date BETWEEN :born_from AND :born_to"
            f" AND {_LISTED_HERE} ORDER BY p.sort_name, p.id"
        )
        return sql, params

    def listed_on_days(self, clinic_id: int, days: list[date]) -> dict[date, int]:
        """How many patients the clinic is responsible for on each day, in one pass over
        its listings (a patient has one running listing per clinic at a time)."""
        if not days:
            return {}
        sums = ", ".join(
            f"sum(responsible_from <= :d{i} AND (responsible_to IS NULL"
            f" OR responsible_to >= :d{i}))"
            for i in range(len(days))
        )
        row = self._conn.execute(
            f"SELECT {sums} FROM listings WHERE clinic_id = :clinic",
            {"clinic": clinic_id, **{f"d{i}": d.isoformat() for i, d in enumerate(days)}},
        ).fetchone()
        return {d: int(row[i] or 0) for i, d in enumerate(days)}

    # -- records --------------------------------------------------------------------------
    def unsigned_exams(self, before: date) -> list[UnsignedExam]:
        """Exam drafts dated before `before`, oldest first."""
        rows = self._conn.execute(
            "SELECT e.id, p.id, p.personal_id, p.first_name, p.last_name, p.protected_identity,"
            " e.exam_date, coalesce(u.full_name, '') FROM exams e"
            " JOIN patients p ON p.id = e.patient_id LEFT JOIN users u ON u.id = e.examiner_id"
            " WHERE e.signed_at IS NULL AND e.exam_date < ? ORDER BY e.exam_date, e.id",
            (before.isoformat(),),
        ).fetchall()
        return [UnsignedExam(int(r[0]), _ref(*r[1:6]), req_date(r[6]), str(r[7])) for r in rows]

    def emergency_without_return_report(self, own_clinic_id: int | None) -> list[EmergencyFact]:
        """Emergency visits of patients listed at another clinic whose return report is not
        sent, oldest first."""
        rows = self._conn.execute(
            "SELECT v.id, p.id, p.personal_id, p.first_name, p.last_name,"
            " v.protected_identity OR p.protected_identity, v.treatment_date,"
            " coalesce(c.name, ''), v.return_report_document_id IS NOT NULL"
            " FROM emergency_visits v JOIN patients p ON p.id = v.patient_id"
            " JOIN clinics c ON c.id = v.listed_clinic_id"
            " WHERE v.return_report_sent_on IS NULL AND v.listed_clinic_id IS NOT ?"
            " ORDER BY v.treatment_date, v.id",
            (own_clinic_id,),
        ).fetchall()
        return [
            EmergencyFact(int(r[0]), _ref(*r[1:6]), req_date(r[6]), str(r[7]), bool(r[8]))
            for r in rows
        ]

    def open_invoices(self) -> list[InvoiceFact]:
        """Issued invoices with money still owed (credited and paid amounts taken off)."""
        rows = self._conn.execute(
            "SELECT id, number, buyer_name, patient_reference, due_date, balance FROM ("
            " SELECT i.id, i.number, i.buyer_name, i.patient_reference, i.due_date,"
            " i.total_ore + coalesce((SELECT sum(c.total_ore) FROM invoices c"
            "  WHERE c.credits_invoice_id = i.id), 0)"
            " - coalesce((SELECT sum(p.amount_ore) FROM invoice_payments p"
            "  WHERE p.invoice_id = i.id), 0) AS balance"
            " FROM invoices i WHERE i.kind = 'invoice') WHERE balance > 0"
            " ORDER BY due_date, number"
        ).fetchall()
        return [
            InvoiceFact(int(r[0]), int(r[1]), str(r[2]), str(r[3]), req_date(r[4]), int(r[5]))
            for r in rows
        ]

    def no_show_facts(self, today: date, window_months: int, threshold: int) -> list[NoShowFact]:
        """Patients with at least `threshold` no-shows in the window, with their dates and
        the last notice."""
        start = window_start(today, window_months)
        rows = self._conn.execute(
            "WITH missed AS (SELECT patient_id, group_concat(substr(start_at, 1, 10)) AS days,"
            " count(*) AS n FROM appointments WHERE status = 'no_show'"
            " AND start_at > :start AND start_at < :after GROUP BY patient_id"
            " HAVING n >= :threshold)"
            " SELECT p.id, p.personal_id, p.first_name, p.last_name, p.protected_identity,"
            " p.birth_date, m.days,"
            " (SELECT max(sent_on) FROM no_show_notices n WHERE n.patient_id = p.id)"
            " FROM missed m JOIN patients p ON p.id = m.patient_id WHERE p.end_date IS NULL"
            " ORDER BY p.sort_name, p.id",
            {
                "start": f"{start.isoformat()}T99",
                "after": f"{today.isoformat()}T99",
                "threshold": threshold,
            },
        ).fetchall()
        return [
            NoShowFact(
                _ref(*r[0:5]),
                req_date(r[5]),
                tuple(date.fromisoformat(d) for d in str(r[6]).split(",")),
                to_date(r[7]),
            )
            for r in rows
        ]

    def open_concerns(self) -> list[OpenConcern]:
        """Child-at-risk cases without a decision, oldest first."""
        rows = self._conn.execute(
            "SELECT c.id, p.id, p.personal_id, p.first_name, p.last_name, p.protected_identity,"
            " c.raised_on FROM concern_cases c JOIN patients p ON p.id = c.patient_id"
            " WHERE c.decision IS NULL ORDER BY c.raised_on, c.id"
        ).fetchall()
        return [OpenConcern(int(r[0]), _ref(*r[1:6]), req_date(r[6])) for r in rows]

    def last_access_review(self) -> date | None:
        """The day of the latest finished access-log review (its report was made)."""
        row = self._conn.execute(
            "SELECT max(at) FROM audit_log WHERE action = 'audit.review'"
        ).fetchone()
        return date.fromisoformat(str(row[0])[:10]) if row and row[0] else None

    # -- snapshots ------------------------------------------------------------------------
    def save_snapshot(self, day: date, counts: dict[str, int]) -> bool:
        """Keep the day's counts (the first load of the day wins); True when new."""
        if self.snapshot(day) is not None:
            return False
        self._conn.executemany(
            "INSERT INTO compliance_snapshots (day, check_key, count) VALUES (?,?,?)",
            [(day.isoformat(), key, count) for key, count in counts.items()],
        )
        return True

    def snapshot(self, day: date) -> dict[str, int] | None:
        """The counts kept for exactly `day`."""
        rows = self._conn.execute(
            "SELECT check_key, count FROM compliance_snapshots WHERE day = ?", (day.isoformat(),)
        ).fetchall()
        return {str(k): int(n) for k, n in rows} or None

    def snapshot_on_or_before(self, day: date) -> tuple[date, dict[str, int]] | None:
        """The latest snapshot taken on or before `day`."""
        row = self._conn.execute(
            "SELECT max(day) FROM compliance_snapshots WHERE day <= ?", (day.isoformat(),)
        ).fetchone()
        if not row or row[0] is None:
            return None
        found = req_date(row[0])
        counts = self.snapshot(found)
        return (found, counts) if counts is not None else None


def _patient(r: tuple[Any, ...]) -> PatientFacts:
    last_exam = last_age = None
    tobacco = False
    if r[10]:
        day, age, recorded = str(r[10]).split("|")
        last_exam, last_age, tobacco = date.fromisoformat(day), int(age), recorded == "1"
    return PatientFacts(
        patient_id=int(r[0]),
        personal_id=str(r[1]),
        first_name=str(r[2]),
        last_name=str(r[3]),
        birth_date=req_date(r[4]),
        protected_identity=bool(r[5]),
        last_revision=to_date(r[6]),
        last_revision_age=int(r[7]) if r[7] is not None else None,
        last_revision_bite_done=r[8] is not None and r[8] != "not_done",
        last_dentist_exam=to_date(r[9]),
        last_exam=last_exam,
        last_exam_age=last_age,
        last_exam_tobacco=tobacco,
        next_booked=date.fromisoformat(str(r[11])[:10]) if r[11] else None,
    )
