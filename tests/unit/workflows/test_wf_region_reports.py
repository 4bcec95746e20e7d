"""Region export: nothing forbidden ever leaves the clinic, batches are checked, kept and
re-sent byte for byte, corrections say what they correct, the files match their schemas,
and the annual statistics PDF shows what plain SQL counts."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from clinic_desk.cli import main
from clinic_desk.domain.care_rules import in_target_group
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.region_report import HEADERS, ReportKind, parse_period
from clinic_desk.export.region_files import csv_bytes, read_csv, schema, schema_names
from clinic_desk.maintenance import open_for_command
from clinic_desk.paths import AppPaths
from clinic_desk.store.store import Store
from clinic_desk.workflows.clinics import save_clinic
from clinic_desk.workflows.region_reports import (
    annual_report,
    batch_log,
    compare_batch,
    export_period,
    rebuild_batch,
    resave_batch,
    send_correction,
    statistics,
)
from clinic_desk.workflows.staff import add_staff, ensure_local_user
from tests.conftest import OTHER_CLINIC, OWN_CLINIC
from tests.unit.workflows.region_support import (
    ExamSpec,
    PatientSpec,
    insert_emergency,
    insert_exam,
    insert_listing,
    insert_patient,
)

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)
KINDS = ("dentist_revision", "hygienist_revision", "health_check", "emergency")


class Built:
    """A clinic built for one test: ids to look things up by."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.actor = ensure_local_user(store)
        self.own = save_clinic(store, self.actor, OWN_CLINIC)
        self.other = save_clinic(store, self.actor, OTHER_CLINIC)
        self.dentist = add_staff(store, self.actor, "karin.holm", "Karin Holm", Profession.DENTIST)
        self.patients: list[tuple[int, PatientSpec]] = []
        self.exams: dict[int, ExamSpec] = {}

    def add(
        self,
        patients: list[PatientSpec],
        exams: list[ExamSpec],
        listed_from: date = date(2026, 3, 1),
    ) -> None:
        conn = self.store.conn
        with self.store.transaction():
            for spec in patients:
                patient_id = insert_patient(conn, spec, 100 + len(self.patients), self.actor.id)
                self.patients.append((patient_id, spec))
                insert_listing(conn, patient_id, self.own, listed_from, None, self.actor.id)
                insert_emergency(
                    conn,
                    patient_id,
                    date(2026, 4, 2),
                    self.other,
                    self.other,
                    spec.protected,
                    self.actor.id,
                )
            for exam in exams:
                patient_id, spec = self.patients[exam.patient]
                if exam.day < spec.birth:
                    continue  # an exam before birth cannot be recorded
                exam_id = insert_exam(conn, patient_id, spec.birth, exam, self.dentist)
                self.exams[exam_id] = exam


def _open(folder: Path) -> Store:
    return Store.open(folder / "clinic.sqlite", folder / "backups", now=lambda: NOW)


def _files(folder: Path) -> dict[str, list[dict[str, str]]]:
    """The CSV files written into `folder`, by report kind, rows as dicts."""
    out: dict[str, list[dict[str, str]]] = {}
    for path in folder.glob("*.csv"):
        kind = re.sub(r"^\d+_\d+_", "", path.stem)
        text = path.read_bytes().decode("utf-8")
        out.setdefault(kind, []).extend(csv.DictReader(io.StringIO(text), delimiter=";"))
    return out


patient_specs = st.builds(
    PatientSpec,
    birth=st.dates(date(2004, 1, 1), date(2025, 12, 31)),
    protected=st.booleans(),
    registered=st.booleans(),
)


@st.composite
def clinics(draw: st.DrawFn) -> tuple[list[PatientSpec], list[ExamSpec]]:
    patients = draw(st.lists(patient_specs, min_size=1, max_size=8))
    exams = draw(
        st.lists(
            st.builds(
                ExamSpec,
                patient=st.integers(0, len(patients) - 1),
                day=st.dates(date(2026, 1, 1), date(2026, 11, 20)),
                kind=st.sampled_from(KINDS),
                signed=st.booleans(),
                dft=st.integers(0, 3),
                perm_dft=st.integers(0, 3),
            ),
            max_size=14,
        )
    )
    return patients, exams


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(clinics())
def test_no_protected_patient_and_no_non_revision_exam_ever_leaves(
    clinic: tuple[list[PatientSpec], list[ExamSpec]],
) -> None:
    patients, exams = clinic
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = _open(folder)
        try:
            built = Built(store)
            built.add(patients, exams)
            by_pid = {
                store.patients.get(pid).personal_id: spec  # type: ignore[union-attr]
                for pid, spec in built.patients
            }
            for month in ("2026-03", "2026-04", "2026-11", "2026"):
                out = folder / month
                result = export_period(store, built.actor, parse_period(month), out, TODAY)
                assert not result.problems, result.problems
                written = _files(out)
                for kind, rows in written.items():
                    for row in rows:
                        spec = by_pid[row["personal_id"]]
                        assert not spec.protected, (kind, row)
                        assert spec.registered, (kind, row)
                        day = next(v for k, v in row.items() if k.endswith("date"))
                        assert in_target_group(spec.birth, date.fromisoformat(day)), row
                        if kind in ("care_report", "dental_health"):
                            exam = built.exams[int(row["record_id"][1:])]
                            assert exam.signed, row
                            assert exam.kind in ("dentist_revision", "hygienist_revision"), row
            # Every record went out once, over all the batches.
            sent = [
                (kind, rid)
                for batch in store.region_reports.batches()
                for kind, rid, _action in store.region_reports.items(batch.id)
            ]
            assert len(sent) == len(set(sent))
        finally:
            store.close()


@pytest.fixture
def built(store: Store) -> Built:
    """Three listed patients with signed revision exams in October, one protected, one with
    a nurse's health check and an unsigned exam, and emergency visits."""
    clinic = Built(store)
    clinic.add(
        [
            PatientSpec(date(2014, 5, 6)),
            PatientSpec(date(2020, 2, 3)),
            PatientSpec(date(2012, 8, 9), protected=True),
        ],
        [
            ExamSpec(0, date(2026, 10, 5), "dentist_revision", dft=1, perm_dft=2),
            ExamSpec(1, date(2026, 10, 6), "hygienist_revision"),
            ExamSpec(2, date(2026, 10, 7), "dentist_revision"),
            ExamSpec(0, date(2026, 10, 8), "health_check"),
            ExamSpec(1, date(2026, 10, 9), "dentist_revision", signed=False),
        ],
        listed_from=date(2026, 10, 1),
    )
    return clinic


def test_a_batch_has_one_file_per_kind_and_a_manifest_with_checksums(
    built: Built, tmp_path: Path
) -> None:
    result = export_period(built.store, built.actor, parse_period("2026-10"), tmp_path, TODAY)
    assert result.batch_id == 1
    assert dict(result.counts) == {
        ReportKind.LISTINGS: 2,
        ReportKind.CARE: 2,
        ReportKind.DENTAL_HEALTH: 2,
        ReportKind.EMERGENCY: 0,
    }
    manifest = json.loads(next(tmp_path.glob("*_manifest.json")).read_text("utf-8"))
    assert manifest["period"] == "2026-10"
    assert manifest["clinic"]["org_number"] == OWN_CLINIC.org_number
    for entry in manifest["files"]:
        content = (tmp_path / entry["name"]).read_bytes()
        import hashlib

        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(read_csv(content)) - 1 == entry["rows"]
    assert not list(tmp_path.glob("*.part"))
    # The same period again: nothing new, nothing written.
    again = export_period(built.store, built.actor, parse_period("2026-10"), tmp_path, TODAY)
    assert again.batch_id is None
    assert "Inget nytt" in again.message


def test_the_files_validate_against_the_shipped_schemas(built: Built, tmp_path: Path) -> None:
    export_period(built.store, built.actor, parse_period("2026"), tmp_path, TODAY)
    assert set(schema_names()) == {f"{k.value}.schema.json" for k in ReportKind} | {
        "manifest.schema.json"
    }
    for path in tmp_path.glob("*.csv"):
        kind = re.sub(r"^\d+_\d+_", "", path.stem)
        row_schema = schema(kind)
        jsonschema.Draft202012Validator.check_schema(row_schema)
        rows = read_csv(path.read_bytes())
        assert rows[0] == row_schema["required"]  # the header in file order
        for row in rows[1:]:
            jsonschema.validate(dict(zip(rows[0], row, strict=True)), row_schema)
    manifest = json.loads(next(tmp_path.glob("*_manifest.json")).read_bytes())
    jsonschema.validate(manifest, schema("manifest"))


def test_a_schema_refuses_a_wrong_row() -> None:
    row_schema = schema("dental_health")
    good = dict.fromkeys(row_schema["required"], "0")
    good.update(record_id="E1", action="add", personal_id="20140506-1234")
    good.update(exam_date="2026-10-05", age_at_exam="12")
    jsonschema.validate(good, row_schema)
    for field, value in (("perm_DFT", "33"), ("exam_date", "2026-13-01"), ("action", "x")):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, field: value}, row_schema)


def _csv_writer_bytes(rows: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS[ReportKind.LISTINGS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


_ROW = ("L1S", "add", "20140506-2381", "new", "2026-03-01", "choice", "")


@pytest.mark.parametrize("special", [";", '"', "\r", "\n", "\r\n", " ", ",", "é"])
def test_csv_files_quote_a_field_as_csv_writer_does(special: str) -> None:
    rows = [_ROW, (*_ROW[:6], f"x{special}y"), _ROW]
    assert csv_bytes(ReportKind.LISTINGS, rows) == _csv_writer_bytes(rows)


@pytest.mark.parametrize(
    "rows",
    [
        [(*_ROW[:6], "x;y"), _ROW[:6]],  # the ';' count alone would not notice
        [("",), _ROW + _ROW[:6]],
        [_ROW[:1]],
        [],
    ],
)
def test_csv_files_of_uneven_rows_are_what_csv_writer_writes(rows: list[tuple[str, ...]]) -> None:
    assert csv_bytes(ReportKind.LISTINGS, rows) == _csv_writer_bytes(rows)


_field = st.sampled_from([True] * 15 + [False]).flatmap(
    lambda plain: (
        st.text(st.sampled_from("ab1é ,-"), max_size=3)
        if plain
        else st.sampled_from([";", '"', "\r", "\n"])
    )
)


@given(
    st.lists(st.tuples(*[_field] * 7), max_size=4)
    | st.lists(st.lists(_field, min_size=1, max_size=8).map(tuple), max_size=3)
)
def test_csv_files_are_what_csv_writer_writes(rows: list[tuple[str, ...]]) -> None:
    assert csv_bytes(ReportKind.LISTINGS, rows) == _csv_writer_bytes(rows)


def test_a_sent_batch_is_resaved_and_rebuilt_byte_for_byte(built: Built, tmp_path: Path) -> None:
    first = tmp_path / "first"
    result = export_period(built.store, built.actor, parse_period("2026-10"), first, TODAY)
    assert result.batch_id is not None
    # Later work does not touch the batch: a new exam and a November batch.
    built.add([PatientSpec(date(2016, 1, 1))], [ExamSpec(3, date(2026, 11, 2), "dentist_revision")])
    export_period(built.store, built.actor, parse_period("2026-11"), tmp_path / "nov", TODAY)
    again = tmp_path / "again"
    paths = resave_batch(built.store, built.actor, result.batch_id, again)
    assert sorted(p.name for p in paths) == sorted(p.name for p in first.iterdir())
    for path in paths:
        assert path.read_bytes() == (first / path.name).read_bytes()
    rebuilt = rebuild_batch(built.store, built.actor, result.batch_id, TODAY)
    for f in rebuilt:
        assert f.content == (first / f.name).read_bytes(), f.name
    assert compare_batch(built.store, built.actor, result.batch_id, TODAY).differences == ()


def test_one_invalid_row_writes_nothing_and_names_the_row(built: Built, tmp_path: Path) -> None:
    patient_id = built.patients[1][0]
    with built.store.transaction():  # a personal number with a wrong check digit
        built.store.conn.execute(
            "UPDATE patients SET personal_id = '20200203-1000' WHERE id = ?", (patient_id,)
        )
    out = tmp_path / "out"
    result = export_period(built.store, built.actor, parse_period("2026-10"), out, TODAY)
    assert result.batch_id is None
    assert not out.exists() or not any(out.iterdir())
    assert batch_log(built.store) == []
    assert {p.patient_id for p in result.problems} == {patient_id}
    care = [p for p in result.problems if p.kind is ReportKind.CARE]
    assert len(care) == 1
    exam_id = next(i for i, e in built.exams.items() if e.patient == 1 and e.signed)
    assert (care[0].record_id, care[0].line) == (f"E{exam_id}", 3)  # header is line 1
    assert "kontrollsiffra" in care[0].message


def test_a_correction_replaces_changed_rows_and_withdraws_by_id_only(
    built: Built, tmp_path: Path
) -> None:
    result = export_period(built.store, built.actor, parse_period("2026-10"), tmp_path, TODAY)
    assert result.batch_id is not None
    store = built.store
    exam_id = next(i for i, e in built.exams.items() if e.patient == 0 and e.kind.endswith("n"))
    withdrawn_id = built.patients[1][0]
    with store.transaction():
        store.conn.execute(
            "INSERT INTO exam_amendments (exam_id, field, old_value, new_value, reason,"
            " created_at, created_by) VALUES (?, 'risk_group', 'low', 'high', 'Omprövad', ?, ?)",
            (exam_id, NOW.isoformat(), built.dentist),
        )
        store.conn.execute(
            "UPDATE patients SET protected_identity = 1 WHERE id = ?", (withdrawn_id,)
        )
    comparison = compare_batch(store, built.actor, result.batch_id, TODAY)
    assert {(d.record_id, d.what) for d in comparison.differences} >= {(f"E{exam_id}", "ändrad")}
    correction = send_correction(store, built.actor, result.batch_id, tmp_path / "fix", TODAY)
    assert correction.batch_id == 2
    manifest = json.loads(next((tmp_path / "fix").glob("*_manifest.json")).read_bytes())
    assert (manifest["kind"], manifest["corrects_batch"]) == ("correction", 1)
    files = _files(tmp_path / "fix")
    care = {row["record_id"]: row for row in files["care_report"]}
    assert care[f"E{exam_id}"]["action"] == "replace"
    assert care[f"E{exam_id}"]["risk_group"] == "high"
    protected_pid = store.patients.get(withdrawn_id).personal_id  # type: ignore[union-attr]
    for rows in files.values():
        for row in rows:
            assert protected_pid not in row.values()
    withdrawn = [r for rows in files.values() for r in rows if r["action"] == "withdraw"]
    assert withdrawn
    assert all(set(r.values()) - {r["record_id"], "withdraw"} <= {""} for r in withdrawn)
    # After the correction the batch agrees with today's data.
    assert compare_batch(store, built.actor, result.batch_id, TODAY).differences == ()


def test_the_pdf_caries_free_shares_equal_plain_sql(store: Store, tmp_path: Path) -> None:
    clinic = Built(store)
    births = [date(2023, 3, 1), date(2020, 5, 5), date(2014, 7, 7), date(2007, 9, 9)]
    patients = [PatientSpec(b) for b in births for _ in range(3)]
    exams = [
        ExamSpec(i, date(2026, 6, 1 + i), "dentist_revision", dft=i % 2, perm_dft=(i // 3) % 2)
        for i in range(len(patients))
    ]
    exams.append(ExamSpec(0, date(2026, 9, 1), "dentist_revision", dft=2))  # latest counts
    exams.append(ExamSpec(1, date(2026, 9, 2), "health_check", dft=5))  # not a revision
    clinic.add(patients, exams)
    content, _doc = annual_report(store, clinic.actor, 2026, TODAY)
    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    for age in (3, 6, 12, 19):
        share = store.conn.execute(
            """SELECT round(100.0 * sum(c.caries_free) / count(*), 1) FROM exams e
               JOIN patients p ON p.id = e.patient_id
               JOIN exam_caries_indices c ON c.exam_id = e.id
               WHERE 2026 - CAST(substr(p.birth_date, 1, 4) AS INTEGER) = ?
                 AND p.protected_identity = 0 AND e.signed_at IS NOT NULL
                 AND e.patient_id IN (SELECT patient_id FROM listings WHERE clinic_id = ?
                   AND responsible_from <= e.exam_date
                   AND coalesce(responsible_to, '9999') >= e.exam_date)
                 AND e.kind IN ('dentist_revision', 'hygienist_revision')
                 AND e.id = (SELECT x.id FROM exams x WHERE x.patient_id = e.patient_id
                   AND x.signed_at IS NOT NULL AND x.exam_date LIKE '2026-%'
                   AND x.kind IN ('dentist_revision', 'hygienist_revision')
                   ORDER BY x.exam_date DESC, x.id DESC LIMIT 1)""",
            (age, clinic.own),
        ).fetchone()[0]
        expected = f"{age} år {share:.1f} %".replace(".", ",")
        assert expected in text, (expected, text[:400])
    figures = statistics(store, 2026)
    assert figures.age(3).examined == 3
    archived = store.conn.execute(
        "SELECT count(*) FROM documents WHERE kind = 'annual_report'"
    ).fetchone()[0]
    assert archived == 1


def test_the_commands_export_and_report(app_paths: AppPaths, tmp_path: Path) -> None:
    store = open_for_command(app_paths)
    try:
        clinic = Built(store)
        clinic.add(
            [PatientSpec(date(2014, 5, 6))], [ExamSpec(0, date(2026, 10, 5), "dentist_revision")]
        )
    finally:
        store.close()
    data = ["--data-dir", str(app_paths.data_dir)]
    out = tmp_path / "export"
    assert main([*data, "export", "--period", "2026-10", "--out", str(out)]) == 0
    assert len(list(out.glob("*.csv"))) == 4
    pdf = tmp_path / "arsrapport.pdf"
    assert main([*data, "report", "--year", "2026", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main([*data, "export", "--period", "2026-13", "--out", str(out)]) == 2


def test_a_role_without_export_is_refused(built: Built, tmp_path: Path) -> None:
    from clinic_desk.domain.permissions import PermissionDenied

    dentist = built.store.users.get(built.dentist)
    assert isinstance(dentist, User)
    with pytest.raises(PermissionDenied):
        export_period(built.store, dentist, parse_period("2026-10"), tmp_path, TODAY)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[PatientSpec], list[ExamSpec]]:
    patients = draw(st.lists(patient_specs, min_size=1, max_size=8))
    exams = draw(
        st.lists(
            st.builds(
                ExamSpec,
                patient=st.integers(0, len(patients) - 1),
                day=st.dates(date(2023, 1, 1), date(2026, 11, 20)),
                kind=st.sampled_from(KINDS),
                signed=st.booleans(),
            ),
            max_size=16,
        )
    )
    return patients, exams


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories())
def test_the_recall_figures_follow_their_definition(
    history: tuple[list[PatientSpec], list[ExamSpec]],
) -> None:
    """Due this year = the due date left by the last revision exam before the year (or the
    year turning 3) falls in or before it; in time = the first exam of the year came by then."""
    from clinic_desk.domain.care_rules import add_months

    patients, exams = history
    with tempfile.TemporaryDirectory() as tmp:
        store = _open(Path(tmp))
        try:
            built = Built(store)
            built.add(patients, exams, listed_from=date(2020, 1, 1))
            figures = statistics(store, 2026)
        finally:
            store.close()
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    due_n = done_n = due_done = in_time = listed = 0
    for index, spec in enumerate(patients):
        if spec.protected or not spec.registered or not 3 <= 2026 - spec.birth.year <= 19:
            continue
        listed += 1
        mine = sorted(
            e.day
            for e in exams
            if e.patient == index and e.signed and e.kind in KINDS[:2] and e.day >= spec.birth
        )
        before = [d for d in mine if d < first]
        due = add_months(before[-1], 12) if before else date(spec.birth.year + 3, 12, 31)
        done = next((d for d in mine if first <= d <= last), None)
        done_n += done is not None
        if due <= last:
            due_n += 1
            due_done += done is not None
            in_time += done is not None and done <= due and due >= first
    assert (figures.listed_total, figures.exams_due, figures.exams_done) == (listed, due_n, done_n)
    assert (figures.due_and_done, figures.in_time) == (due_done, in_time)


def test_the_demo_clinic_has_sent_batches(store: Store) -> None:
    from clinic_desk.demo import build_demo_clinic

    build_demo_clinic(store, 300, today=TODAY)
    batches = batch_log(store)
    assert [b.period for b in batches] == ["2026-10", "2026-09", "2026-08"]
    assert all(b.row_count for b in batches)
    actor = ensure_local_user(store)
    assert compare_batch(store, actor, batches[-1].id, TODAY).differences == ()
