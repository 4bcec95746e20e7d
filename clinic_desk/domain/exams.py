"""Examinations: kinds, risk, caries indices, bite check, tobacco habits and the contract checks.

RULES.md §2-§3 (contract 000 §2.5, §2.7). Everything here is pure: the workflow in
``clinic_desk/workflows/exams.py`` calls ``check_exam`` before it writes anything, so a
refused exam changes nothing.

Who records what follows the profession (000 §2.7): a dentist records dentist revision exams
and emergency exams, a hygienist hygienist revision exams, a dental nurse health checks
(tandhälsokontroll: never a revision exam, never reported). Other professions record none.

Caries indices (tandhälsodata) are entered as counts per exam. The bounds come from the
dentitions: 20 primary teeth (12 front teeth with 4 surfaces, 8 molars with 5: 88 surfaces),
32 permanent teeth (12 front teeth with 4 surfaces, 20 premolars and molars with 5: 148
surfaces); every tooth has two approximal surfaces. "Caries-free" is derived (no decayed or
filled tooth in either dentition), never typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from clinic_desk.domain.care_rules import (
    IntervalTooLong,
    age_on,
    bite_check_required,
    first_exam_due,
    free_care_ends,
    in_target_group,
    latest_next_dentist_exam,
    next_revision_due,
    tobacco_record_required,
)
from clinic_desk.domain.contract_rules import DEFAULT_RULES, ContractRules
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.people import Profession

PRIMARY_TEETH = 20
PERMANENT_TEETH = 32
PRIMARY_SURFACES = 12 * 4 + 8 * 5
PERMANENT_SURFACES = 12 * 4 + 20 * 5
APPROXIMAL_SURFACES_PER_TOOTH = 2
TEXT_MAX = 4000
"""Longest findings / plan / note text accepted (a journal entry, not a document)."""


class ExamKind(Enum):
    """What kind of examination a record is."""

    DENTIST_REVISION = "dentist_revision"
    HYGIENIST_REVISION = "hygienist_revision"
    HEALTH_CHECK = "health_check"
    EMERGENCY = "emergency"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_revision(self) -> bool:
        """True for the exams that count for recall and are reported (000 §2.7)."""
        return self in (ExamKind.DENTIST_REVISION, ExamKind.HYGIENIST_REVISION)


_KIND_LABELS = {
    ExamKind.DENTIST_REVISION: "Revisionsundersökning, tandläkare",
    ExamKind.HYGIENIST_REVISION: "Revisionsundersökning, tandhygienist",
    ExamKind.HEALTH_CHECK: "Tandhälsokontroll, tandsköterska",
    ExamKind.EMERGENCY: "Akut undersökning",
}
REVISION_KINDS = (ExamKind.DENTIST_REVISION, ExamKind.HYGIENIST_REVISION)

_KINDS_BY_PROFESSION: dict[Profession, tuple[ExamKind, ...]] = {
    Profession.DENTIST: (ExamKind.DENTIST_REVISION, ExamKind.EMERGENCY),
    Profession.HYGIENIST: (ExamKind.HYGIENIST_REVISION,),
    Profession.DENTAL_NURSE: (ExamKind.HEALTH_CHECK,),
}


def kinds_for(profession: Profession) -> tuple[ExamKind, ...]:
    """The exam kinds a member of staff with this profession may record."""
    return _KINDS_BY_PROFESSION.get(profession, ())


def check_may_record(profession: Profession, kind: ExamKind) -> None:
    """Raise RuleViolation (Swedish) unless this profession may record this kind."""
    if kind not in kinds_for(profession):
        allowed = kinds_for(profession)
        what = (
            "inga undersökningar"
            if not allowed
            else "bara " + " och ".join(k.label.lower() for k in allowed)
        )
        raise RuleViolation(
            f"{profession.label} kan inte journalföra {kind.label.lower()}: "
            f"{profession.label.lower()} journalför {what}."
        )


class RiskGroup(Enum):
    """The risk group set at a revision exam."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return {"low": "Låg", "medium": "Medel", "high": "Hög"}[self.value]


class RiskFactor(Enum):
    """A caries or periodontal risk factor behind the risk group (short tick boxes)."""

    PREVIOUS_CARIES = "previous_caries"
    DIET = "diet"
    PLAQUE = "plaque"
    LOW_FLUORIDE = "low_fluoride"
    DRY_MOUTH = "dry_mouth"
    GENERAL_HEALTH = "general_health"
    SOCIAL = "social"
    BLEEDING = "bleeding"
    POCKETS = "pockets"
    CALCULUS = "calculus"
    BONE_LOSS = "bone_loss"
    TOBACCO = "tobacco"

    @property
    def label(self) -> str:
        return _FACTOR_LABELS[self][1]

    @property
    def is_caries(self) -> bool:
        """True for caries factors, False for periodontal ones."""
        return _FACTOR_LABELS[self][0] == "caries"


_FACTOR_LABELS = {
    RiskFactor.PREVIOUS_CARIES: ("caries", "Ny karies senaste året"),
    RiskFactor.DIET: ("caries", "Täta mål / mycket socker"),
    RiskFactor.PLAQUE: ("caries", "Plack / bristande munhygien"),
    RiskFactor.LOW_FLUORIDE: ("caries", "Låg fluortillförsel"),
    RiskFactor.DRY_MOUTH: ("caries", "Muntorrhet / medicin"),
    RiskFactor.GENERAL_HEALTH: ("caries", "Allmänsjukdom"),
    RiskFactor.SOCIAL: ("caries", "Sociala faktorer"),
    RiskFactor.BLEEDING: ("perio", "Blödning vid sondering"),
    RiskFactor.POCKETS: ("perio", "Fickdjup ≥ 4 mm"),
    RiskFactor.CALCULUS: ("perio", "Tandsten"),
    RiskFactor.BONE_LOSS: ("perio", "Benförlust"),
    RiskFactor.TOBACCO: ("perio", "Tobaksbruk"),
}
CARIES_FACTORS = tuple(f for f in RiskFactor if f.is_caries)
PERIO_FACTORS = tuple(f for f in RiskFactor if not f.is_caries)


class BiteCheck(Enum):
    """The bite-development check (bettutvecklingskontroll) at a dentist exam."""

    NOT_DONE = "not_done"
    NORMAL = "normal"
    DEVIATION = "deviation"

    @property
    def label(self) -> str:
        return {
            "not_done": "Inte utförd",
            "normal": "Utförd – normal bettutveckling",
            "deviation": "Utförd – avvikelse (beskriv)",
        }[self.value]


class TobaccoProduct(Enum):
    """The products asked about from 13 years (000 §2.5)."""

    CIGARETTES = "cigarettes"
    SNUS = "snus"
    WHITE_SNUS = "white_snus"
    E_CIGARETTES = "e_cigarettes"
    WATERPIPE = "waterpipe"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "cigarettes": "Cigaretter",
            "snus": "Snus",
            "white_snus": "Vitt snus / nikotinpåsar",
            "e_cigarettes": "E-cigaretter",
            "waterpipe": "Vattenpipa",
            "other": "Annat",
        }[self.value]


class TobaccoStatus(Enum):
    """How the patient uses one product."""

    NEVER = "never"
    FORMER = "former"
    OCCASIONAL = "occasional"
    DAILY = "daily"

    @property
    def label(self) -> str:
        return {
            "never": "Aldrig",
            "former": "Tidigare (slutat > 6 mån)",
            "occasional": "Ibland",
            "daily": "Dagligen",
        }[self.value]

    @property
    def is_use(self) -> bool:
        """True for current use (occasional or daily): cessation support is offered."""
        return self in (TobaccoStatus.OCCASIONAL, TobaccoStatus.DAILY)


class ReferralAnswer(Enum):
    """The patient's answer to an offered referral to cessation support."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    UNDECIDED = "undecided"

    @property
    def label(self) -> str:
        return {"accepted": "Tackade ja", "declined": "Tackade nej", "undecided": "Vill fundera"}[
            self.value
        ]


@dataclass(frozen=True)
class TobaccoRecord:
    """Tobacco habits at one exam: a status per product, and the referral offer."""

    statuses: tuple[tuple[TobaccoProduct, TobaccoStatus], ...]
    referral_offered: bool | None = None
    referral_answer: ReferralAnswer | None = None

    def status_of(self, product: TobaccoProduct) -> TobaccoStatus | None:
        """The recorded status of one product, or None."""
        return next((s for p, s in self.statuses if p is product), None)

    @property
    def any_use(self) -> bool:
        """True when some product is used now (occasionally or daily)."""
        return any(status.is_use for _product, status in self.statuses)


@dataclass(frozen=True)
class CariesIndices:
    """Tandhälsodata of one exam, entered as counts.

    Lower case = primary dentition (dft, dfs), upper case = permanent (DFT, DFS, approximal
    DFS, DS = decayed surfaces). Attribute names spell the dentition out because SQLite column
    names ignore case.
    """

    primary_dft: int = 0
    primary_dfs: int = 0
    perm_dft: int = 0
    perm_dfs: int = 0
    perm_dfs_approximal: int = 0
    perm_ds: int = 0

    @property
    def caries_free(self) -> bool:
        """No decayed or filled tooth in either dentition (derived, never typed)."""
        return self.primary_dft == 0 and self.perm_dft == 0


INDEX_LABELS = {
    "primary_dft": "dft",
    "primary_dfs": "dfs",
    "perm_dft": "DFT",
    "perm_dfs": "DFS",
    "perm_dfs_approximal": "DFS-a",
    "perm_ds": "DS",
}


def _max_surfaces(teeth: int, molar_like: int) -> int:
    """Most surfaces `teeth` teeth can have when up to `molar_like` of them have 5."""
    five = min(teeth, molar_like)
    return five * 5 + (teeth - five) * 4


def index_errors(indices: CariesIndices) -> list[FieldError]:
    """Messages for counts outside the dentition's bounds or inconsistent with each other."""
    errors: list[FieldError] = []
    bounds = {
        "primary_dft": PRIMARY_TEETH,
        "primary_dfs": PRIMARY_SURFACES,
        "perm_dft": PERMANENT_TEETH,
        "perm_dfs": PERMANENT_SURFACES,
        "perm_dfs_approximal": PERMANENT_TEETH * APPROXIMAL_SURFACES_PER_TOOTH,
        "perm_ds": PERMANENT_SURFACES,
    }
    for name, upper in bounds.items():
        value = getattr(indices, name)
        if not 0 <= value <= upper:
            errors.append(
                FieldError(name, f"{INDEX_LABELS[name]} ska vara mellan 0 och {upper} ({value}).")
            )
    if errors:
        return errors
    i = indices
    if i.primary_dfs < i.primary_dft:
        errors.append(
            FieldError(
                "primary_dfs", "dfs kan inte vara mindre än dft: varje tand har minst en yta."
            )
        )
    elif i.primary_dfs > _max_surfaces(i.primary_dft, 8):
        errors.append(
            FieldError(
                "primary_dfs",
                f"dfs {i.primary_dfs} är fler ytor än {i.primary_dft} mjölktänder har "
                f"(högst {_max_surfaces(i.primary_dft, 8)}).",
            )
        )
    if i.perm_dfs < i.perm_dft:
        errors.append(
            FieldError("perm_dfs", "DFS kan inte vara mindre än DFT: varje tand har minst en yta.")
        )
    elif i.perm_dfs > _max_surfaces(i.perm_dft, 20):
        errors.append(
            FieldError(
                "perm_dfs",
                f"DFS {i.perm_dfs} är fler ytor än {i.perm_dft} permanenta tänder har "
                f"(högst {_max_surfaces(i.perm_dft, 20)}).",
            )
        )
    if i.perm_dfs_approximal > min(i.perm_dfs, APPROXIMAL_SURFACES_PER_TOOTH * i.perm_dft):
        errors.append(
            FieldError(
                "perm_dfs_approximal",
                "DFS-a (approximala ytor) kan inte vara fler än DFS eller två ytor per DFT-tand.",
            )
        )
    if i.perm_ds > i.perm_dfs:
        errors.append(FieldError("perm_ds", "DS (kariesskadade ytor) kan inte vara fler än DFS."))
    return errors


@dataclass(frozen=True)
class ExamDraft:
    """An exam as the form holds it before it is saved."""

    patient_id: int
    exam_date: date
    kind: ExamKind
    risk_group: RiskGroup | None = None
    risk_factors: frozenset[RiskFactor] = field(default_factory=frozenset)
    interval_months: int | None = None
    treatment_plan: str = ""
    findings: str = ""
    indices: CariesIndices | None = None
    bite_check: BiteCheck = BiteCheck.NOT_DONE
    bite_findings: str = ""
    tobacco: TobaccoRecord | None = None


class ExamRefused(ValidationError):
    """An exam the contract or the form's rules refuse; nothing was saved.

    ``interval_too_long`` keeps the care-rules reason when the planned interval was over the
    cap for the patient's age (``IntervalTooLong``): refused, never clamped.
    """

    def __init__(
        self,
        errors: list[FieldError] | tuple[FieldError, ...],
        interval_too_long: IntervalTooLong | None = None,
    ) -> None:
        super().__init__(errors)
        self.interval_too_long = interval_too_long


@dataclass(frozen=True)
class CheckedExam:
    """What the checks worked out: the age on the exam date and the next revision due."""

    age: int
    next_revision_due: date | None


def requirements(kind: ExamKind, age: int, *, rules: ContractRules = DEFAULT_RULES) -> list[str]:
    """The contract's demands for this kind of exam at this age, as short Swedish lines."""
    lines: list[str] = []
    if kind.is_revision:
        lines.append("Riskgrupp, planerat revisionsintervall, behandlingsplan och kariesindex.")
        lines.append(f"Revisionsintervall högst {rules.interval_cap(age)} månader vid {age} år.")
    if kind is ExamKind.DENTIST_REVISION and bite_check_required(age, rules=rules):
        lines.append(
            "Bettutvecklingskontroll krävs "
            f"({rules.bite_check_from_age}–{rules.bite_check_to_age} år)."
        )
    if kind.is_revision and tobacco_record_required(age, rules=rules):
        lines.append(f"Tobaksvanor ska dokumenteras (från {rules.tobacco_from_age} år).")
    if kind is ExamKind.HEALTH_CHECK:
        lines.append("Tandhälsokontroll: ingen riskgruppering eller behandlingsplan.")
    return lines


def check_exam(
    draft: ExamDraft,
    birth_date: date,
    profession: Profession,
    today: date,
    *,
    rules: ContractRules = DEFAULT_RULES,
) -> CheckedExam:
    """Check an exam against the contract at the moment of entry.

    Raises RuleViolation when the profession may not record this kind, ExamRefused with one
    message per field otherwise. Returns the age and, for revision exams, the next due date.
    """
    check_may_record(profession, draft.kind)
    errors: list[FieldError] = []
    too_long: IntervalTooLong | None = None
    if draft.exam_date > today:
        errors.append(FieldError("exam_date", "Undersökningsdatum kan inte ligga i framtiden."))
    if draft.exam_date < birth_date:
        raise ExamRefused([FieldError("exam_date", "Datumet ligger före patientens födelse.")])
    age = age_on(birth_date, draft.exam_date)
    due: date | None = None
    kind = draft.kind
    if kind.is_revision:
        if draft.risk_group is None:
            errors.append(FieldError("risk_group", "Välj riskgrupp."))
        if draft.interval_months is None:
            errors.append(FieldError("interval_months", "Ange planerat revisionsintervall."))
        else:
            try:
                due = next_revision_due(
                    draft.exam_date, draft.interval_months, birth_date, rules=rules
                )
            except IntervalTooLong as exc:
                too_long = exc
                errors.append(FieldError("interval_months", str(exc)))
            except ValueError as exc:
                errors.append(FieldError("interval_months", str(exc)))
        if not draft.treatment_plan.strip():
            errors.append(FieldError("treatment_plan", "Skriv behandlingsplan."))
        if draft.indices is None:
            errors.append(FieldError("indices", "Fyll i kariesindex (tandhälsodata)."))
    else:
        if draft.risk_group is not None or draft.risk_factors:
            errors.append(
                FieldError("risk_group", f"Riskgrupp sätts inte vid {kind.label.lower()}.")
            )
        if draft.interval_months is not None:
            errors.append(
                FieldError(
                    "interval_months",
                    "Revisionsintervall sätts bara vid revisionsundersökning.",
                )
            )
        if kind is ExamKind.HEALTH_CHECK and draft.treatment_plan.strip():
            errors.append(
                FieldError(
                    "treatment_plan", "Tandhälsokontroll omfattar ingen behandlingsplanering."
                )
            )
        if kind is ExamKind.EMERGENCY and not draft.findings.strip():
            errors.append(FieldError("findings", "Skriv fynd och åtgärd vid akut undersökning."))
    if draft.indices is not None:
        errors += index_errors(draft.indices)
    errors += _bite_errors(draft, age, rules)
    errors += _tobacco_errors(draft, age, rules)
    for name, text in (
        ("treatment_plan", draft.treatment_plan),
        ("findings", draft.findings),
        ("bite_findings", draft.bite_findings),
    ):
        if len(text) > TEXT_MAX:
            errors.append(FieldError(name, f"Texten är för lång (högst {TEXT_MAX} tecken)."))
    if errors:
        raise ExamRefused(errors, too_long)
    return CheckedExam(age, due)


def _bite_errors(draft: ExamDraft, age: int, rules: ContractRules) -> list[FieldError]:
    if draft.kind is not ExamKind.DENTIST_REVISION:
        if draft.bite_check is not BiteCheck.NOT_DONE and draft.kind is not ExamKind.EMERGENCY:
            return [FieldError("bite_check", "Bettutvecklingskontroll görs av tandläkare.")]
        return []
    errors: list[FieldError] = []
    if bite_check_required(age, rules=rules) and draft.bite_check is BiteCheck.NOT_DONE:
        errors.append(
            FieldError(
                "bite_check",
                "Bettutvecklingskontroll krävs vid varje revisionsundersökning "
                f"{rules.bite_check_from_age}–{rules.bite_check_to_age} år "
                f"(patienten är {age} år).",
            )
        )
    if draft.bite_check is BiteCheck.DEVIATION and not draft.bite_findings.strip():
        errors.append(FieldError("bite_findings", "Beskriv avvikelsen i bettutvecklingen."))
    return errors


def _tobacco_errors(draft: ExamDraft, age: int, rules: ContractRules) -> list[FieldError]:
    tobacco = draft.tobacco
    if tobacco is None:
        if draft.kind.is_revision and tobacco_record_required(age, rules=rules):
            return [
                FieldError(
                    "tobacco",
                    f"Tobaksvanor ska dokumenteras från {rules.tobacco_from_age} år "
                    f"(patienten är {age} år): "
                    "fyll i varje produkt.",
                )
            ]
        return []
    errors: list[FieldError] = []
    products = [product for product, _status in tobacco.statuses]
    if len(set(products)) != len(products):
        errors.append(FieldError("tobacco", "Varje produkt kan bara anges en gång."))
    missing = [p.label for p in TobaccoProduct if p not in products]
    if missing:
        errors.append(
            FieldError(
                "tobacco", "Ange status för varje produkt (saknas: " + ", ".join(missing) + ")."
            )
        )
    if tobacco.any_use:
        if tobacco.referral_offered is None:
            errors.append(
                FieldError(
                    "referral_offered",
                    "Patienten använder tobak: ange om hänvisning till tobaksavvänjning erbjöds.",
                )
            )
        elif tobacco.referral_offered and tobacco.referral_answer is None:
            errors.append(FieldError("referral_answer", "Ange patientens svar på hänvisningen."))
    if tobacco.referral_answer is not None and not tobacco.referral_offered:
        errors.append(
            FieldError("referral_answer", "Ett svar kan bara anges när hänvisning erbjöds.")
        )
    return errors


# -- amendments -------------------------------------------------------------------------------


class AmendField(Enum):
    """What an amendment of a signed exam may correct."""

    FINDINGS = "findings"
    TREATMENT_PLAN = "treatment_plan"
    RISK_GROUP = "risk_group"
    INTERVAL_MONTHS = "interval_months"
    NOTE = "note"

    @property
    def label(self) -> str:
        return {
            "findings": "Fynd",
            "treatment_plan": "Behandlingsplan",
            "risk_group": "Riskgrupp",
            "interval_months": "Revisionsintervall (månader)",
            "note": "Tillägg",
        }[self.value]


# -- what the card shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExamEvent:
    """A signed exam as the deadline rules see it."""

    exam_date: date
    kind: ExamKind
    next_revision_due: date | None


class DeadlineKind(Enum):
    """The deadlines the card watches."""

    FIRST_EXAM = "first_exam"
    NEXT_REVISION = "next_revision"
    DENTIST_GAP = "dentist_gap"
    FREE_CARE_ENDS = "free_care_ends"
    SPECIALIST_REFERRAL = "specialist_referral"


@dataclass(frozen=True)
class Deadline:
    """One deadline with whether it has passed or is close."""

    kind: DeadlineKind
    due: date
    text: str
    overdue: bool
    at_risk: bool


EXAM_WARNING_DAYS = 90
"""An exam deadline this close (or passed) is shown as at risk."""
END_OF_CARE_WARNING_DAYS = 365
"""Free care ending (and the referral deadline before it) is shown as at risk a year ahead."""


def _deadline(kind: DeadlineKind, due: date, text: str, today: date, warn_days: int) -> Deadline:
    return Deadline(kind, due, text, due < today, today <= due <= today + timedelta(warn_days))


def exam_deadlines(
    birth_date: date,
    signed: list[ExamEvent],
    today: date,
    *,
    rules: ContractRules = DEFAULT_RULES,
) -> list[Deadline]:
    """The deadlines of a patient in the target group, soonest first.

    ``signed`` holds the patient's signed exams (any order). Only revision exams count: the
    next revision due comes from the latest one; the dentist gap from the latest dentist
    revision exam; until the first dentist exam, the first-exam deadline (the year turning 3).
    """
    if not in_target_group(birth_date, today, rules=rules):
        return []
    revisions = sorted((e for e in signed if e.kind.is_revision), key=lambda e: e.exam_date)
    dentist = [e for e in revisions if e.kind is ExamKind.DENTIST_REVISION]
    out: list[Deadline] = []
    if not dentist:
        due = first_exam_due(birth_date, rules=rules)
        out.append(
            _deadline(
                DeadlineKind.FIRST_EXAM,
                due,
                f"Första tandläkarundersökning senast {due.isoformat()}",
                today,
                EXAM_WARNING_DAYS,
            )
        )
    else:
        due = latest_next_dentist_exam(dentist[-1].exam_date, birth_date, rules=rules)
        if due <= free_care_ends(birth_date, rules=rules):
            out.append(
                _deadline(
                    DeadlineKind.DENTIST_GAP,
                    due,
                    f"Tandläkarundersökning senast {due.isoformat()} (längsta uppehåll)",
                    today,
                    EXAM_WARNING_DAYS,
                )
            )
    if revisions and revisions[-1].next_revision_due is not None:
        due = revisions[-1].next_revision_due
        out.append(
            _deadline(
                DeadlineKind.NEXT_REVISION,
                due,
                f"Nästa revisionsundersökning {due.isoformat()}",
                today,
                EXAM_WARNING_DAYS,
            )
        )
    ends = free_care_ends(birth_date, rules=rules)
    out.append(
        _deadline(
            DeadlineKind.SPECIALIST_REFERRAL,
            ends,
            f"Remiss till specialist: skickas i så god tid att vården är klar "
            f"senast {ends.isoformat()}",
            today,
            END_OF_CARE_WARNING_DAYS,
        )
    )
    out.append(
        _deadline(
            DeadlineKind.FREE_CARE_ENDS,
            ends,
            f"Avgiftsfri tandvård slutar {ends.isoformat()}",
            today,
            END_OF_CARE_WARNING_DAYS,
        )
    )
    return sorted(out, key=lambda d: (d.due, d.kind.value))


# -- stored values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Amendment:
    """A correction of a signed exam: who, when, why, and the value it replaces."""

    id: int
    exam_id: int
    field: AmendField
    old_value: str
    new_value: str
    next_revision_due: date | None
    reason: str
    created_at: str
    created_by: int
    created_by_name: str


@dataclass(frozen=True)
class Exam:
    """An exam as stored, with its indices, tobacco rows and amendments."""

    id: int
    patient_id: int
    exam_date: date
    kind: ExamKind
    examiner_id: int
    examiner_name: str
    age_at_exam: int
    risk_group: RiskGroup | None
    risk_factors: frozenset[RiskFactor]
    interval_months: int | None
    treatment_plan: str
    findings: str
    bite_check: BiteCheck
    bite_findings: str
    next_revision_due: date | None
    signed_at: str | None
    signed_by_name: str
    created_at: str
    indices: CariesIndices | None = None
    tobacco: TobaccoRecord | None = None
    amendments: tuple[Amendment, ...] = ()

    @property
    def signed(self) -> bool:
        """A signed exam is locked; only amendments change what it says."""
        return self.signed_at is not None

    @property
    def counts_for_recall(self) -> bool:
        """Only signed dentist or hygienist revision exams count for recall and reporting."""
        return self.signed and self.kind.is_revision

    def _latest(self, amend_field: AmendField) -> Amendment | None:
        return next((a for a in reversed(self.amendments) if a.field is amend_field), None)

    @property
    def current_risk_group(self) -> RiskGroup | None:
        """The risk group after amendments."""
        latest = self._latest(AmendField.RISK_GROUP)
        return RiskGroup(latest.new_value) if latest else self.risk_group

    @property
    def current_interval_months(self) -> int | None:
        """The planned interval after amendments."""
        latest = self._latest(AmendField.INTERVAL_MONTHS)
        return int(latest.new_value) if latest else self.interval_months

    @property
    def current_next_revision_due(self) -> date | None:
        """The next revision due date after amendments of the interval."""
        latest = self._latest(AmendField.INTERVAL_MONTHS)
        return latest.next_revision_due if latest else self.next_revision_due

    def as_draft(self) -> ExamDraft:
        """The exam's values back in the form (to edit a draft)."""
        return ExamDraft(
            patient_id=self.patient_id,
            exam_date=self.exam_date,
            kind=self.kind,
            risk_group=self.risk_group,
            risk_factors=self.risk_factors,
            interval_months=self.interval_months,
            treatment_plan=self.treatment_plan,
            findings=self.findings,
            indices=self.indices,
            bite_check=self.bite_check,
            bite_findings=self.bite_findings,
            tobacco=self.tobacco,
        )

    def event(self) -> ExamEvent:
        """This exam as the deadline rules see it (amendments applied)."""
        return ExamEvent(self.exam_date, self.kind, self.current_next_revision_due)


@dataclass(frozen=True)
class RevisionDue:
    """A patient's latest signed revision exam and the next revision due after it."""

    patient_id: int
    exam_id: int
    exam_date: date
    kind: ExamKind
    next_revision_due: date


@dataclass(frozen=True)
class TobaccoHistoryRow:
    """One product's status at one exam (the card's history)."""

    exam_id: int
    recorded_on: date
    product: TobaccoProduct
    status: TobaccoStatus


class ConsentAction(Enum):
    """A consent row gives consent or withdraws an earlier one."""

    GIVEN = "given"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return "Samtycke lämnat" if self is ConsentAction.GIVEN else "Samtycke återkallat"


@dataclass(frozen=True)
class JournalConsent:
    """One dated consent row (000 §3.12): scope, who gave it, who collected it, when."""

    id: int
    patient_id: int
    action: ConsentAction
    scope: str
    given_by: str
    collected_by: int
    collected_by_name: str
    collected_on: date
    withdraws_id: int | None
    note: str
    created_at: str


def active_consents(rows: list[JournalConsent]) -> list[JournalConsent]:
    """The consents given and not withdrawn, oldest first."""
    withdrawn = {r.withdraws_id for r in rows if r.action is ConsentAction.WITHDRAWN}
    return [r for r in rows if r.action is ConsentAction.GIVEN and r.id not in withdrawn]


@dataclass(frozen=True)
class ConsentDraft:
    """A consent as the consent form holds it."""

    scope: str
    given_by: str
    collected_on: date
    note: str = ""


CONSENT_PROFESSIONS = (Profession.DENTIST, Profession.HYGIENIST, Profession.DENTAL_NURSE)
"""Consent is collected by the person responsible for the care (000 §3.12)."""


def check_consent(draft: ConsentDraft, profession: Profession, today: date) -> None:
    """Refuse a consent the wrong person collects or that lacks scope, giver or a past date."""
    if profession not in CONSENT_PROFESSIONS:
        raise RuleViolation(
            f"{profession.label} kan inte dokumentera samtycke: det görs av den som ansvarar "
            "för vården (tandläkare, tandhygienist eller tandsköterska)."
        )
    errors: list[FieldError] = []
    if not draft.scope.strip():
        errors.append(
            FieldError(
                "scope", "Skriv vad samtycket gäller (vilken vårdgivare och vilka uppgifter)."
            )
        )
    if not draft.given_by.strip():
        errors.append(FieldError("given_by", "Skriv vem som lämnade samtycket."))
    if draft.collected_on > today:
        errors.append(FieldError("collected_on", "Datumet kan inte ligga i framtiden."))
    if errors:
        raise ValidationError(errors)
