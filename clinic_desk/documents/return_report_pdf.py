"""The return report (återföring) to the patient's home clinic after emergency care.

Contract 000 §2.8: the treatment is reported back to the clinic where the patient is listed
as soon as possible; that clinic is responsible for follow-up and further care.
"""

from __future__ import annotations

import io

from clinic_desk.documents.pdf_base import (
    Address,
    TextFlow,
    draw_address,
    draw_letterhead,
    new_canvas,
)
from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.emergency import PayerKind
from clinic_desk.domain.invoicing import PLACEMENT_LABELS, EmergencyVisit, payer_label

_COLUMNS = (0.0, 30.0, 250.0, 300.0)


def _clinic_address(clinic: Clinic) -> Address:
    lines = [clinic.name, "Att: Ansvarig tandläkare"]
    lines += [x for x in (clinic.address_line, f"{clinic.postal_code} {clinic.city}".strip()) if x]
    return Address(tuple(lines))


def return_report_pdf(visit: EmergencyVisit, seller: Clinic, home: Clinic) -> bytes:
    """What was done, what was found and advice for follow-up, for the home clinic."""
    buffer = io.BytesIO()
    title = "Återföring akut tandvård"
    canvas = new_canvas(buffer, f"{title} {visit.case_number}", seller.name)
    draw_letterhead(canvas, seller, "ÅTERFÖRING", visit.treatment_date, visit.case_number)
    draw_address(canvas, _clinic_address(home))
    flow = TextFlow(canvas, seller)
    flow.heading("Återföring efter akut tandvård")
    name = visit.patient_name
    flow.paragraph(
        f"Er listade patient har fått akut tandvård hos {seller.name} den "
        f"{visit.treated_at.strftime('%Y-%m-%d kl. %H:%M')}. Ansvaret för uppföljning och "
        "fortsatt vård ligger hos er som listningsklinik (Hälsoval tandvård, avsnitt 2.8)."
    )
    flow.rows(
        (0.0, 120.0),
        [
            ("Patient", f"{visit.personal_id} {name}"),
            ("Behandlare", visit.practitioner_name or "–"),
            ("Placering", PLACEMENT_LABELS[visit.placement]),
            ("Ärende", visit.case_number),
        ],
        size=9.5,
    )
    if visit.protected_identity:
        flow.paragraph(
            "Skyddade personuppgifter: patientens namn och adress lämnas inte ut. Hantera "
            "uppgifterna enligt er rutin för skyddade personuppgifter.",
            size=9.5,
        )
    flow.heading("Besöksorsak", 10.5)
    flow.paragraph(visit.complaint or "Inte angiven.")
    flow.heading("Fynd", 10.5)
    flow.paragraph(visit.findings or "Inga fynd antecknade.")
    flow.heading("Utförda åtgärder", 10.5)
    flow.rows(
        _COLUMNS,
        [(t.code, t.name, t.tooth, t.note) for t in visit.treatments],
        size=9,
        header=("Kod", "Åtgärd", "Tand", "Anteckning"),
    )
    flow.heading("Råd för uppföljning", 10.5)
    flow.paragraph(visit.advice or "Ingen särskild uppföljning behövs utöver ordinarie revision.")
    if visit.payer_kind is not PayerKind.NO_INVOICE:
        payer = visit.payer_name or payer_label(visit.payer_kind).lower()
        flow.paragraph(
            f"Behandlingen faktureras {payer} enligt prislistan "
            f"({format_kronor(visit.total_ore)}).",
            size=9,
        )
    flow.paragraph(
        f"Frågor: {seller.name}" + (f", telefon {seller.phone}" if seller.phone else "") + ".",
        size=9,
    )
    flow.finish()
    canvas.save()
    return buffer.getvalue()
