"""Patients: storing, ending, reading and searching (search and sort happen in SQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime

from clinic_desk.domain.patient_search import PatientSearch, SortColumn
from clinic_desk.domain.people import PROTECTED_MASK, Patient, PatientRow
from clinic_desk.domain.reserve_number import format_reserve_number
from clinic_desk.domain.text import digits_only, phone_key, search_key, search_words, sort_key
from clinic_desk.store.rows import req_date, to_date

_PATIENT_COLUMNS = (
    "id, personal_id, birth_date, is_reserve_number, first_name, last_name, address_line,"
    " postal_code, city, phone, email, responsible_dentist_id, protected_identity,"
    " registered_in_region, end_date, end_reason"
)
_ROW_COLUMNS = (
    "id, personal_id, first_name, last_name, city, phone, protected_identity, end_date, birth_date"
)
# Protected patients sort by what the list shows for them (the mask, no city, no phone), so
# that their place in a sorted list gives nothing away.
_ORDER = {
    SortColumn.PERSONAL_ID: "personal_id {d}",
    SortColumn.NAME: "sort_name {d}, id {d}",
    SortColumn.CITY: "CASE WHEN protected_identity THEN '' ELSE city END {d}, sort_name, id",
    SortColumn.PHONE: "CASE WHEN protected_identity THEN '' ELSE phone_digits END {d}, id",
    SortColumn.STATUS: "end_date IS NOT NULL {d}, sort_name, id",
}


def _sort_name(patient: Patient) -> str:
    """The name the list sorts by: the name it shows, the mask for protected identity."""
    if patient.protected_identity:
        return sort_key(PROTECTED_MASK)
    return sort_key(f"{patient.last_name} {patient.first_name}")


def _patient(row: tuple[object, ...]) -> Patient:
    return Patient(
        id=int(str(row[0])),
        personal_id=str(row[1]),
        birth_date=req_date(row[2]),
        is_reserve_number=bool(row[3]),
        first_name=str(row[4]),
        last_name=str(row[5]),
        address_line=str(row[6]),
        postal_code=str(row[7]),
        city=str(row[8]),
        phone=str(row[9]),
        email=str(row[10]),
        responsible_dentist_id=int(str(row[11])) if row[11] is not None else None,
        protected_identity=bool(row[12]),
        registered_in_region=bool(row[13]),
        end_date=to_date(row[14]),
        end_reason=str(row[15]),
    )


def _row(row: tuple[object, ...]) -> PatientRow:
    return PatientRow(
        id=int(str(row[0])),
        personal_id=str(row[1]),
        first_name=str(row[2]),
        last_name=str(row[3]),
        city=str(row[4]),
        phone=str(row[5]),
        protected_identity=bool(row[6]),
        end_date=to_date(row[7]),
        birth_date=req_date(row[8]),
    )


COUNT_CAP = 1000  # the list says "över 1 000" rather than counting every match
COMMON_WORD = 1500  # prefix matches from which a word counts as common (see _is_common)
COMMON_SHARE = 20  # ... or one patient in this many, whichever is more


def _prefix_upper(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix + "\U0010ffff"


class PatientRepository:
    """SQL for the patients table and its search indexes."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    # -- writing -------------------------------------------------------------------------
    def next_reserve_number(self, birth_date: date) -> str:
        """Take the next reserve number for a birth date (inside the caller's transaction)."""
        key = birth_date.isoformat()
        row = self._conn.execute(
            "SELECT last_serial FROM reserve_number_serials WHERE birth_date = ?", (key,)
        ).fetchone()
        serial = (row[0] if row else 0) + 1
        # A reserve number typed in by hand (given earlier, elsewhere) is not in the series.
        while self.by_personal_id(format_reserve_number(birth_date, serial)) is not None:
            serial += 1
        self._conn.execute(
            "INSERT INTO reserve_number_serials (birth_date, last_serial) VALUES (?, ?)"
            " ON CONFLICT(birth_date) DO UPDATE SET last_serial = excluded.last_serial",
            (key, serial),
        )
        return format_reserve_number(birth_date, serial)

    def insert(self, patient: Patient, user_id: int) -> int:
        """Store a new patient; `patient.id` is ignored. Returns the new id."""
        stamp = self._now().isoformat(timespec="seconds")
        cursor = self._conn.execute(
            "INSERT INTO patients (personal_id, pid_digits, birth_date, is_reserve_number,"
            " first_name, last_name, sort_name, address_line, postal_code, city, phone,"
            " phone_digits, email, responsible_dentist_id, protected_identity,"
            " registered_in_region, end_date, end_reason, created_at, created_by,"
            " updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                *self._values(patient),
                patient.end_date.isoformat() if patient.end_date else None,
                patient.end_reason,
                stamp,
                user_id,
                stamp,
                user_id,
            ),
        )
        patient_id = int(cursor.lastrowid or 0)
        self._index_name(patient_id, patient.first_name, patient.last_name)
        return patient_id

    @staticmethod
    def _values(patient: Patient) -> tuple[object, ...]:
        """The columns insert and update share, from personal_id to registered_in_region."""
        return (
            patient.personal_id,
            digits_only(patient.personal_id),
            patient.birth_date.isoformat(),
            int(patient.is_reserve_number),
            patient.first_name,
            patient.last_name,
            _sort_name(patient),
            patient.address_line,
            patient.postal_code,
            patient.city,
            patient.phone,
            phone_key(patient.phone),
            patient.email,
            patient.responsible_dentist_id,
            int(patient.protected_identity),
            int(patient.registered_in_region),
        )

    def update(self, patient: Patient, user_id: int) -> None:
        """Overwrite a patient's details (the audit entry keeps what changed)."""
        stamp = self._now().isoformat(timespec="seconds")
        self._conn.execute(
            "UPDATE patients SET personal_id=?, pid_digits=?, birth_date=?, is_reserve_number=?,"
            " first_name=?, last_name=?, sort_name=?, address_line=?, postal_code=?, city=?,"
            " phone=?, phone_digits=?, email=?, responsible_dentist_id=?, protected_identity=?,"
            " registered_in_region=?, updated_at=?, updated_by=? WHERE id=?",
            (
                *self._values(patient),
                stamp,
                user_id,
                patient.id,
            ),
        )
        self._conn.execute("DELETE FROM patient_name_terms WHERE patient_id = ?", (patient.id,))
        self._conn.execute("DELETE FROM patient_name_trigrams WHERE rowid = ?", (patient.id,))
        self._index_name(patient.id, patient.first_name, patient.last_name)

    def set_end(self, patient_id: int, end_date: date | None, reason: str, user_id: int) -> None:
        """End (or, with None, resume) a patient's time at the clinic."""
        self._conn.execute(
            "UPDATE patients SET end_date=?, end_reason=?, updated_at=?, updated_by=? WHERE id=?",
            (
                end_date.isoformat() if end_date else None,
                reason,
                self._now().isoformat(timespec="seconds"),
                user_id,
                patient_id,
            ),
        )

    def _index_name(self, patient_id: int, first_name: str, last_name: str) -> None:
        terms = set(search_words(f"{first_name} {last_name}"))
        self._conn.executemany(
            "INSERT OR IGNORE INTO patient_name_terms (term, patient_id) VALUES (?, ?)",
            [(term, patient_id) for term in terms],
        )
        self._conn.execute(
            "INSERT INTO patient_name_trigrams (rowid, name) VALUES (?, ?)",
            (patient_id, search_key(f"{first_name} {last_name}")),
        )

    # -- reading -------------------------------------------------------------------------
    def get(self, patient_id: int) -> Patient | None:
        """One patient by id."""
        row = self._conn.execute(
            f"SELECT {_PATIENT_COLUMNS} FROM patients WHERE id = ?", (patient_id,)
        ).fetchone()
        return _patient(row) if row else None

    def by_personal_id(self, personal_id: str) -> Patient | None:
        """One patient by canonical personal (or reserve) number."""
        row = self._conn.execute(
            f"SELECT {_PATIENT_COLUMNS} FROM patients WHERE personal_id = ?", (personal_id,)
        ).fetchone()
        return _patient(row) if row else None

    def count_all(self) -> int:
        """How many patients the register holds, ended ones included."""
        return int(self._conn.execute("SELECT count(*) FROM patients").fetchone()[0])

    def search(
        self,
        query: PatientSearch,
        sort: SortColumn = SortColumn.NAME,
        descending: bool = False,
        limit: int = 200,
        offset: int = 0,
    ) -> list[PatientRow]:
        """One page of search results, sorted in SQL."""
        sql, params = self.page_sql(query, sort, descending)
        return [_row(r) for r in self._conn.execute(sql, (*params, limit, offset))]

    def search_count(self, query: PatientSearch, cap: int | None = COUNT_CAP) -> int:
        """How many patients a search finds, counted up to `cap` (cap + 1 means "more")."""
        sql, params = self.count_sql(query, cap)
        return int(self._conn.execute(sql, params).fetchone()[0])

    def page_sql(
        self, query: PatientSearch, sort: SortColumn = SortColumn.NAME, descending: bool = False
    ) -> tuple[str, tuple[object, ...]]:
        """The SELECT for one page (LIMIT and OFFSET are the last two parameters)."""
        source, where, params = self.search_sql(query)
        order = _ORDER[sort].format(d="DESC" if descending else "ASC")
        sql = f"SELECT {_ROW_COLUMNS} FROM {source} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
        return sql, params

    def count_sql(
        self, query: PatientSearch, cap: int | None = COUNT_CAP
    ) -> tuple[str, tuple[object, ...]]:
        """The SELECT that counts a search's patients, stopping after cap + 1."""
        source, where, params = self.search_sql(query)
        if cap is None:
            return f"SELECT count(*) FROM {source} WHERE {where}", params
        return (
            f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT ?)",
            (*params, cap + 1),
        )

    def _is_common(self, word: str) -> bool:
        """True when so many names contain `word` that walking the sorted names is faster.

        A common word ('berg', 'ström') matches thousands of patients: reading every match
        from the name indexes costs more than walking the sorted names until a page is
        full. The probe stops counting at the threshold, so it costs little either way.
        """
        size = self._conn.execute("SELECT coalesce(max(id), 0) FROM patients").fetchone()[0]
        threshold = max(COMMON_WORD, int(size) // COMMON_SHARE)
        if len(word) >= 3:
            probe = (
                "SELECT count(*) FROM (SELECT 1 FROM patient_name_trigrams"
                " WHERE patient_name_trigrams MATCH ? LIMIT ?)"
            )
            params: tuple[object, ...] = ('"' + word.replace('"', '""') + '"', threshold)
        else:
            probe = (
                "SELECT count(*) FROM (SELECT 1 FROM patient_name_terms"
                " WHERE term >= ? AND term < ? LIMIT ?)"
            )
            params = (word, _prefix_upper(word), threshold)
        return int(self._conn.execute(probe, params).fetchone()[0]) >= threshold

    def _number_source(self, ranges: list[tuple[str, str]]) -> str:
        """How to read patients for a search by number prefixes (see search_sql).

        Many matches (e.g. '070'): walk the name index, which fills a page after a short
        walk. Few: let SQLite combine the number indexes and sort the matches.
        """
        size = self._conn.execute("SELECT coalesce(max(id), 0) FROM patients").fetchone()[0]
        threshold = max(COMMON_WORD, int(size) // COMMON_SHARE)
        found = 0
        for column, prefix in ranges:  # column names come from this module only
            found += int(
                self._conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM patients WHERE {column} >= ?"
                    f" AND {column} < ? LIMIT ?)",
                    (prefix, _prefix_upper(prefix), threshold),
                ).fetchone()[0]
            )
        return "patients INDEXED BY patients_sort_name" if found >= threshold else "patients"

    def search_sql(self, query: PatientSearch) -> tuple[str, str, tuple[object, ...]]:
        """The FROM source, the WHERE clause and their parameters for a search.

        A name made of uncommon words is looked up in the name indexes first (word prefixes
        and trigrams), and only those patients are read; common words walk the sorted names.
        """
        source = "patients"
        clauses: list[str] = []
        params: list[object] = []
        if not query.include_ended:
            clauses.append("end_date IS NULL")
        if query.exact_personal_id and query.phone_prefix:
            clauses.append(
                "(personal_id = ? OR (protected_identity = 0"
                " AND phone_digits >= ? AND phone_digits < ?))"
            )
            params += [
                query.exact_personal_id,
                query.phone_prefix,
                _prefix_upper(query.phone_prefix),
            ]
        elif query.exact_personal_id:
            clauses.append("personal_id = ?")
            params.append(query.exact_personal_id)
        elif query.words:
            clauses.append("protected_identity = 0")
            if all(self._is_common(word) for word in query.words):
                # A common word: any part of the name, checked row by row along the sort
                # order; the page fills after a short walk because matches are dense.
                for word in query.words:
                    clauses.append("instr(sort_name, ?) > 0")
                    params.append(sort_key(word))
            else:
                per_word: list[str] = []
                name_params: list[object] = []
                for word in query.words:
                    sub = (
                        "SELECT patient_id AS cid FROM patient_name_terms"
                        " WHERE term >= ? AND term < ?"
                    )
                    name_params += [word, _prefix_upper(word)]
                    if len(word) >= 3:
                        sub += (
                            " UNION SELECT rowid FROM patient_name_trigrams"
                            " WHERE patient_name_trigrams MATCH ?"
                        )
                        name_params.append('"' + word.replace('"', '""') + '"')
                    per_word.append(f"SELECT cid FROM ({sub})")
                source = (
                    f"({' INTERSECT '.join(per_word)}) AS m JOIN patients ON patients.id = m.cid"
                )
                params = name_params + params
        elif not query.is_everything:
            clauses.append("protected_identity = 0")
            ranges = [("pid_digits", prefix) for prefix in query.pid_prefixes]
            if query.phone_prefix:
                ranges.append(("phone_digits", query.phone_prefix))
            range_params: list[object] = []
            for _column, prefix in ranges:
                range_params += [prefix, _prefix_upper(prefix)]
            if query.pid_fragment:
                # A part from inside a number must look at every number: scan the narrow
                # number index (not the wide rows), then read only the matching patients.
                parts = [
                    "SELECT id AS cid FROM patients INDEXED BY patients_pid_digits"
                    " WHERE instr(pid_digits, ?) > 0"
                ]
                parts += [f"SELECT id FROM patients WHERE {c} >= ? AND {c} < ?" for c, _ in ranges]
                source = f"({' UNION '.join(parts)}) AS m JOIN patients ON patients.id = m.cid"
                params = [query.pid_fragment, *range_params, *params]
            else:
                alternatives = [f"({c} >= ? AND {c} < ?)" for c, _ in ranges]
                clauses.append("(" + " OR ".join(alternatives or ["0"]) + ")")
                params += range_params
                source = self._number_source(ranges)
        return source, (" AND ".join(clauses) or "1"), tuple(params)
