"""Access-log review (loggkontroll) and verification of the audit hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.access_review import (
    FLAG_BURST,
    FLAG_LABELS,
    FLAG_NO_RELATION,
    FLAG_PROTECTED,
    AccessReview,
    ReviewFilter,
)
from clinic_desk.store.audit import ChainBreak
from clinic_desk.store.documents import ArchivedDocument
from clinic_desk.store.store import Store

REPORT_ROW_LIMIT = 5000
SHORT_FLAGS = {FLAG_NO_RELATION: "ingen relation", FLAG_PROTECTED: "skyddad", FLAG_BURST: "många"}


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the hash chain and comparing its head."""

    entries: int
    breaks: tuple[ChainBreak, ...]
    head_checked: bool  # False where no head is kept outside the file (tests, old setups)

    @property
    def intact(self) -> bool:
        return not self.breaks

    def summary(self) -> str:
        """One line in Swedish."""
        if self.intact:
            head = "" if self.head_checked else " (kedjans slut jämfördes inte)"
            return f"Hel: {self.entries} poster kontrollerade, inga brott{head}."
        return f"BRUTEN: {len(self.breaks)} fel bland {self.entries} poster."


def describe_break(item: ChainBreak) -> str:
    """A chain break in Swedish."""
    reason = item.reason
    if "missing" in reason:
        text = "poster saknas före denna"
    elif "does not follow" in reason:
        text = "hör inte ihop med posten före (raderad, flyttad eller ändrad)"
    elif "content changed" in reason:
        text = "innehållet har ändrats efter att posten skrevs"
    elif "rewound" in reason:
        text = "poster har tagits bort i slutet av loggen"
    else:
        text = "skiljer sig från kedjans sparade slut"
    return f"Post {item.entry_id}: {text}"


def check_chain(store: Store) -> ChainReport:
    """Walk the whole chain and compare the head kept outside the file (no audit entry)."""
    breaks = list(store.audit.verify())
    head = store.chain_head_break()
    if head is not None:
        breaks.append(head)
    return ChainReport(store.audit.count(), tuple(breaks), store.chain_head is not None)


@requires(Permission.READ_ACCESS_LOG)
def verify_access_log(store: Store, actor: User) -> ChainReport:
    """Verify the audit chain on request; the check and its result are logged."""
    report = check_chain(store)
    with store.transaction():
        store.audit.append(
            actor.id,
            "audit.verify",
            entity="audit_log",
            detail={
                "entries": report.entries,
                "breaks": [[b.entry_id, b.reason] for b in report.breaks[:50]],
            },
        )
    return report


@requires(Permission.READ_ACCESS_LOG)
def open_access_review(store: Store, actor: User) -> AccessReview:
    """Open the review screen's data (logged: who looked at the log is logged too)."""
    with store.transaction():
        store.audit.append(actor.id, "audit.review_open", entity="audit_log")
    return store.access_review


def _criteria(store: Store, where: ReviewFilter) -> list[tuple[str, str]]:
    user = store.users.get(where.user_id) if where.user_id is not None else None
    patient = store.patients.get(where.patient_id) if where.patient_id is not None else None
    period = (
        f"{where.first.isoformat() if where.first else 'början'} – "
        f"{where.last.isoformat() if where.last else 'idag'}"
    )
    return [
        ("Period", period),
        ("Användare", user.full_name if user else "alla"),
        ("Patient", patient.personal_id if patient else "alla"),
        ("Händelse", where.action or "alla"),
        ("Bara flaggade", "ja" if where.flagged_only else "nej"),
    ]


@requires(Permission.READ_ACCESS_LOG)
def export_review(
    store: Store, actor: User, where: ReviewFilter, note: str, now: datetime
) -> tuple[ArchivedDocument, bytes]:
    """The review as a PDF with who reviewed it, archived and logged in one transaction."""
    # Imported here: reportlab is slow to import, and the program's start needs only
    # describe_break from this module.
    from clinic_desk.documents.access_review_pdf import ReviewReport, review_pdf

    clinic = store.clinics.own()
    if clinic is None:
        raise RuleViolation("Lägg in den egna kliniken (Register → Kliniker) först.")
    review = store.access_review
    total = review.count(where)
    flagged_filter = ReviewFilter(
        where.user_id, where.patient_id, where.first, where.last, where.action, True
    )
    flagged = review.rows(flagged_filter, limit=REPORT_ROW_LIMIT, newest_first=False)
    counts = dict.fromkeys(FLAG_LABELS, 0)
    for row in flagged:
        for flag in row.flags:
            counts[flag] += 1
    chain = check_chain(store)
    report = ReviewReport(
        reviewer=f"{actor.full_name} ({actor.profession.label})",
        reviewed_at=now,
        criteria=_criteria(store, where),
        total=total,
        flag_counts=[(FLAG_LABELS[f], n) for f, n in counts.items()],
        flagged=[
            (
                row.at.replace("T", " ")[:16],
                row.user_name,
                row.action,
                row.personal_id,
                ", ".join(SHORT_FLAGS[f] for f in sorted(row.flags)),
            )
            for row in flagged
        ],
        chain_status=chain.summary(),
        note=note,
    )
    content = review_pdf(clinic, report)
    with store.transaction():
        document = store.documents.add(
            "access_review",
            f"Loggkontroll {now:%Y-%m-%d}",
            content,
            actor.id,
            source_table="audit_log",
        )
        store.audit.append(
            actor.id,
            "audit.review",
            entity="document",
            entity_id=document.id,
            detail={"entries": total, "flagged": len(flagged), "chain_intact": chain.intact},
        )
    return document, content
