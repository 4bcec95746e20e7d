"""The clinic registry: our own clinic, the region's other clinics, import from CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from clinic_desk.domain.clinics import ClinicDraft, validate_clinic
from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store

CSV_COLUMNS = (
    "namn",
    "organisationsnummer",
    "kod",
    "adress",
    "postnummer",
    "ort",
    "telefon",
    "epost",
    "fakturaadress",
    "omradesansvarig",
)
_YES = {"ja", "j", "1", "x", "yes", "true", "sant"}
_NO = {"", "nej", "n", "0", "no", "false", "falskt"}


@dataclass(frozen=True)
class ImportProblem:
    """One bad line of an import file."""

    line: int
    message: str


class ImportRejected(ValueError):
    """The file had bad rows; nothing was imported."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"Rad {p.line}: {p.message}" for p in problems))


@requires(Permission.EDIT_CLINICS)
def save_clinic(store: Store, actor: User, draft: ClinicDraft, clinic_id: int | None = None) -> int:
    """Create or update a clinic after checking it; returns its id."""
    cleaned, errors = validate_clinic(draft)
    if errors:
        raise ValidationError(errors)
    with store.transaction():
        same_org = store.clinics.by_org_number(cleaned.org_number)
        # No exception for the own clinic: the table allows one active clinic per number.
        if same_org is not None and same_org.id != clinic_id:
            raise ValidationError(
                [FieldError("org_number", f"Organisationsnumret finns redan ({same_org.name}).")]
            )
        own = store.clinics.own()
        if cleaned.is_own and own is not None and own.id != clinic_id:
            raise ValidationError([FieldError("is_own", f"Egen klinik är redan {own.name}.")])
        if clinic_id is None:
            clinic_id = store.clinics.insert(cleaned, actor.id)
            action = "clinic.create"
        else:
            store.clinics.update(clinic_id, cleaned, actor.id)
            action = "clinic.update"
        store.audit.append(
            actor.id, action, entity="clinic", entity_id=clinic_id, detail={"name": cleaned.name}
        )
    return clinic_id


def decode_csv_bytes(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), else Windows-1252 as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Every CSV record with the line it starts on; blank lines and quoted breaks count."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRejected([ImportProblem(start, f"Fel i CSV ({exc}).")]) from exc
    return [(line, record) for line, record in records if any(c.strip() for c in record)]


def parse_clinic_csv(text: str) -> list[ClinicDraft]:
    """Read a clinic list (`;`-separated, header row); raises ImportRejected naming bad rows."""
    records = _records(text)
    header_line, header_cells = records[0] if records else (1, [])
    header = [cell.strip().lower() for cell in header_cells]
    missing = [c for c in ("namn", "organisationsnummer") if c not in header]
    if missing:
        raise ImportRejected(
            [
                ImportProblem(
                    header_line,
                    "Rubrikraden saknar "
                    + ", ".join(missing)
                    + ". Kolumner: "
                    + ";".join(CSV_COLUMNS),
                )
            ]
        )
    drafts: list[ClinicDraft] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for line, cells in records[1:]:
        row = {name: value.strip() for name, value in zip(header, cells, strict=False)}
        flag = row.get("omradesansvarig", "").lower()
        if flag not in _YES | _NO:
            problems.append(ImportProblem(line, "omradesansvarig ska vara ja eller nej."))
            continue
        draft = ClinicDraft(
            name=row.get("namn", ""),
            org_number=row.get("organisationsnummer", ""),
            code=row.get("kod", ""),
            address_line=row.get("adress", ""),
            postal_code=row.get("postnummer", ""),
            city=row.get("ort", ""),
            phone=row.get("telefon", ""),
            email=row.get("epost", ""),
            invoice_address=row.get("fakturaadress", ""),
            area_responsible=flag in _YES,
        )
        cleaned, errors = validate_clinic(draft)
        problems += [ImportProblem(line, e.message) for e in errors]
        if not errors:
            if cleaned.org_number in seen:
                problems.append(
                    ImportProblem(
                        line, f"Organisationsnumret finns redan på rad {seen[cleaned.org_number]}."
                    )
                )
                continue
            seen[cleaned.org_number] = line
            drafts.append(cleaned)
    if problems:
        raise ImportRejected(problems)
    return drafts


@requires(Permission.EDIT_CLINICS)
def import_clinics(store: Store, actor: User, text: str) -> tuple[int, int]:
    """Import a clinic list: new clinics are added, known ones (same org. number) updated.

    All or nothing: one bad row and nothing is imported. Returns (added, updated).
    """
    drafts = parse_clinic_csv(text)
    added = updated = 0
    with store.transaction():
        for draft in drafts:
            known = store.clinics.by_org_number(draft.org_number)
            if known is None:
                store.clinics.insert(draft, actor.id)
                added += 1
            elif not known.is_own:
                store.clinics.update(known.id, replace(draft, is_own=False), actor.id)
                updated += 1
        store.audit.append(
            actor.id, "clinic.import", entity="clinic", detail={"added": added, "updated": updated}
        )
    return added, updated


@requires(Permission.EDIT_CLINICS)
def set_clinic_active(store: Store, actor: User, clinic_id: int, active: bool) -> None:
    """Take a clinic out of the pick lists (or back); it is never deleted."""
    with store.transaction():
        clinic = store.clinics.get(clinic_id)
        if clinic is None:
            raise ValidationError([FieldError("clinic_id", "Kliniken finns inte.")])
        if clinic.is_own and not active:
            raise ValidationError(
                [FieldError("clinic_id", "Den egna kliniken kan inte inaktiveras.")]
            )
        store.clinics.set_active(clinic_id, active, actor.id)
        store.audit.append(
            actor.id,
            "clinic.activate" if active else "clinic.deactivate",
            entity="clinic",
            entity_id=clinic_id,
        )
