"""The journal extract of a patient's exams (journalutdrag), oldest exam first.

Each exam shows what was signed; amendments follow it with who, when and why, so the
original and the correction are read together. Drafts are marked as not signed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm

from clinic_desk.documents.pdf_base import (
    BOLD,
    FONT,
    LEFT,
    PAGE_HEIGHT,
    RIGHT,
    TextFlow,
    draw_letterhead,
    new_canvas,
)
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.exams import (
    INDEX_LABELS,
    AmendField,
    BiteCheck,
    Exam,
    JournalConsent,
    RiskGroup,
    TobaccoRecord,
    TobaccoStatus,
)
from clinic_desk.domain.people import Patient

TITLE = "Journalutdrag – undersökningar"


def _stamp(text: str) -> str:
    return text.replace("T", " ")[:16]


def risk_text(exam: Exam) -> str:
    """'Medel (karies: …; parodontalt: …)' or '' when no risk group was set."""
    if exam.risk_group is None:
        return ""
    caries = [f.label for f in sorted(exam.risk_factors, key=lambda f: f.value) if f.is_caries]
    perio = [f.label for f in sorted(exam.risk_factors, key=lambda f: f.value) if not f.is_caries]
    parts = []
    if caries:
        parts.append("karies: " + ", ".join(caries))
    if perio:
        parts.append("parodontalt: " + ", ".join(perio))
    return exam.risk_group.label + (f" ({'; '.join(parts)})" if parts else "")


def tobacco_text(record: TobaccoRecord) -> str:
    """Products in use first, then the rest grouped by status, then the referral."""
    groups: dict[TobaccoStatus, list[str]] = {}
    for product, status in record.statuses:
        groups.setdefault(status, []).append(product.label)
    order = (TobaccoStatus.DAILY, TobaccoStatus.OCCASIONAL, TobaccoStatus.FORMER)
    parts = [f"{s.label}: {', '.join(groups[s])}" for s in order if s in groups]
    if TobaccoStatus.NEVER in groups:
        parts.append(
            "Aldrig: "
            + ("alla produkter" if len(groups) == 1 else ", ".join(groups[TobaccoStatus.NEVER]))
        )
    text = ". ".join(parts) + "."
    if record.referral_offered is True:
        answer = record.referral_answer.label.lower() if record.referral_answer else "inget svar"
        text += f" Hänvisning till tobaksavvänjning erbjuden – {answer}."
    elif record.referral_offered is False:
        text += " Hänvisning till tobaksavvänjning inte erbjuden."
    return text


def indices_text(exam: Exam) -> str:
    """'dft 0 · dfs 0 · DFT 2 · … · Kariesfri: nej'."""
    if exam.indices is None:
        return ""
    values = " · ".join(
        f"{label} {getattr(exam.indices, name)}" for name, label in INDEX_LABELS.items()
    )
    return f"{values} · Kariesfri: {'ja' if exam.indices.caries_free else 'nej'}"


def amendment_text(exam: Exam) -> list[str]:
    """One line per amendment: when, who, what changed from what, and why."""
    lines = []
    for a in exam.amendments:
        old, new = a.old_value, a.new_value
        if a.field is AmendField.RISK_GROUP:
            old = RiskGroup(old).label if old else "–"
            new = RiskGroup(new).label
        change = (
            f"tillägg: {new}"
            if a.field is AmendField.NOTE
            else f"{a.field.label}: {old or '–'} → {new}"
        )
        if a.next_revision_due is not None:
            change += f" (nästa revision {a.next_revision_due.isoformat()})"
        lines.append(f"{_stamp(a.created_at)} {a.created_by_name}, {change}. Skäl: {a.reason}")
    return lines


def exam_lines(exam: Exam) -> list[tuple[str, str]]:
    """(label, text) pairs describing one exam, as signed."""
    rows: list[tuple[str, str]] = [
        ("Undersökare", f"{exam.examiner_name} (patienten {exam.age_at_exam} år)"),
        (
            "Status",
            f"Signerad {_stamp(exam.signed_at)} av {exam.signed_by_name}"
            if exam.signed_at
            else "UTKAST – inte signerad",
        ),
    ]
    if exam.risk_group is not None:
        rows.append(("Riskgrupp", risk_text(exam)))
    if exam.interval_months is not None:
        due = (
            f", nästa revision senast {exam.next_revision_due.isoformat()}"
            if exam.next_revision_due
            else ""
        )
        rows.append(("Revisionsintervall", f"{exam.interval_months} månader{due}"))
    if exam.indices is not None:
        rows.append(("Kariesindex", indices_text(exam)))
    if exam.bite_check is not BiteCheck.NOT_DONE:
        extra = f": {exam.bite_findings}" if exam.bite_findings else ""
        rows.append(("Bettutveckling", exam.bite_check.label + extra))
    if exam.tobacco is not None:
        rows.append(("Tobak", tobacco_text(exam.tobacco)))
    if exam.findings:
        rows.append(("Fynd", exam.findings))
    if exam.treatment_plan:
        rows.append(("Behandlingsplan", exam.treatment_plan))
    return rows


def exam_journal_pdf(
    clinic: Clinic,
    patient: Patient,
    exams: Sequence[Exam],
    consents: Sequence[JournalConsent],
    printed_on: date,
    printed_by: str,
) -> bytes:
    """A journal extract of every exam of one patient (oldest first) and the consents."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, f"{TITLE} {patient.personal_id}", clinic.name)
    draw_letterhead(canvas, clinic, TITLE, printed_on, f"Utskrivet av {printed_by}")
    top = PAGE_HEIGHT - 48 * mm
    canvas.setFont(BOLD, 12)
    canvas.drawString(LEFT, top, patient.full_name)
    canvas.setFont(FONT, 10)
    canvas.drawString(LEFT, top - 14, f"Personnummer {patient.personal_id}")
    canvas.drawRightString(RIGHT, top - 14, f"{len(exams)} undersökningar")
    canvas.line(LEFT, top - 22, RIGHT, top - 22)
    flow = TextFlow(canvas, clinic, top=top - 36)
    label_width = 34 * mm
    for exam in sorted(exams, key=lambda e: (e.exam_date, e.id)):
        flow.need(70)  # keep an exam's heading with its first lines
        flow.heading(f"{exam.exam_date.isoformat()}  {exam.kind.label}", size=11)
        for label, text in exam_lines(exam):
            _labelled(flow, label, text, label_width)
        lines = amendment_text(exam)
        if lines:
            _labelled(flow, "Rättelser", "\n".join(lines), label_width)
    if not exams:
        flow.paragraph("Inga undersökningar journalförda.")
    flow.heading("Samtycke till att dela journal med annan vårdgivare", size=11)
    if not consents:
        flow.paragraph("Inget samtycke dokumenterat.")
    for c in consents:
        what = f"återkallar samtycke {c.withdraws_id}" if c.withdraws_id else c.scope
        flow.paragraph(
            f"{c.collected_on.isoformat()} {c.action.label} (nr {c.id}): {what}. "
            f"Lämnat av {c.given_by}, inhämtat av {c.collected_by_name}."
            + (f" {c.note}" if c.note else ""),
            size=9,
        )
    flow.finish()
    canvas.save()
    return buffer.getvalue()


def _labelled(flow: TextFlow, label: str, text: str, width: float) -> None:
    """A bold label in the left column and wrapped text beside it."""
    flow.need(14)
    y = flow.y
    flow.canvas.setFont(BOLD, 9)
    flow.canvas.drawString(LEFT, y, label)
    flow.paragraph(text, size=9, indent=width)
    flow.y += 9 * 0.35
