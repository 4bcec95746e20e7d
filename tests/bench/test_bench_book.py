"""Appointment book and recall at 100,000 patients and 300,000 appointments.

Targets (issue 5): recall list for a month ≤ 100 ms, day view ≤ 30 ms, week view ≤ 100 ms,
1,000 recall letters ≤ 20 s. Baselines: the same SELECTs run raw in the same run.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest

from clinic_desk.domain.appointments import Appointment, AppointmentKind, AppointmentStatus
from clinic_desk.domain.people import User
from clinic_desk.store.recall import RecallFilter
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import BOOKABLE
from clinic_desk.workflows.recall import recall_list
from clinic_desk.workflows.recall_letters import plan_letters, send_letter
from clinic_desk.workflows.staff import ensure_local_user
from tests.bench.conftest import BENCH_PATIENTS, BENCH_TODAY, Figures, measure

APPOINTMENTS = 3 * BENCH_PATIENTS
NOW = datetime.combine(BENCH_TODAY, clock(8, 0))


@pytest.fixture(scope="module")
def busy_clinic(big_clinic: Store) -> Store:
    """The big clinic with three appointments per patient spread over five years."""
    rng = random.Random(9)
    actor = ensure_local_user(big_clinic)
    staff = [u.id for u in big_clinic.users.with_profession(*BOOKABLE)]
    patients = [r[0] for r in big_clinic.conn.execute("SELECT id FROM patients")]
    start = BENCH_TODAY - timedelta(days=4 * 365)
    batch: list[Appointment] = []
    made = 0
    while made < APPOINTMENTS:
        day = start + timedelta(days=rng.randrange(5 * 365))
        if day.weekday() >= 5:
            continue
        moment = datetime.combine(day, clock(8)) + timedelta(minutes=15 * rng.randrange(32))
        status = AppointmentStatus.DONE if day < BENCH_TODAY else AppointmentStatus.AGREED
        batch.append(
            Appointment(
                0,
                rng.choice(patients),
                rng.choice(staff),
                moment,
                30,
                AppointmentKind.TREATMENT,
                status,
            )
        )
        made += 1
        if len(batch) == 20_000:
            with big_clinic.transaction():
                big_clinic.appointments.insert_many(batch, actor.id)
            batch = []
    if batch:
        with big_clinic.transaction():
            big_clinic.appointments.insert_many(batch, actor.id)
    big_clinic.conn.execute("ANALYZE")
    return big_clinic


def _raw_book(store: Store, first: date, days: int) -> Callable[[], object]:
    begin = datetime.combine(first, clock(0)).isoformat(timespec="minutes")
    end = datetime.combine(first + timedelta(days=days), clock(0)).isoformat(timespec="minutes")

    def run() -> object:
        return store.conn.execute(
            "SELECT a.*, p.first_name, p.last_name, p.personal_id, p.protected_identity"
            " FROM appointments a JOIN patients p ON p.id = a.patient_id"
            " WHERE a.start_at >= ? AND a.start_at < ? ORDER BY a.start_at, a.practitioner_id",
            (begin, end),
        ).fetchall()

    return run


@pytest.mark.bench
def test_day_and_week_views(busy_clinic: Store, report: Callable[..., None], qtbot: object) -> None:
    from clinic_desk.ui.book_grid import BookColumn, BookGrid
    from clinic_desk.workflows.appointments import opening_hours

    hours = opening_hours(busy_clinic)
    staff = busy_clinic.users.with_profession(*BOOKABLE)
    grid = BookGrid()
    grid.resize(1200, 900)
    days = [
        BENCH_TODAY + timedelta(days=i)
        for i in range(-30, 30)
        if (BENCH_TODAY + timedelta(days=i)).weekday() < 5
    ]

    def day_view(day: date) -> Callable[[], object]:
        def run() -> object:
            entries = busy_clinic.appointments.book(day, 1)
            grid.show_book([BookColumn(u.full_name, day, u.id) for u in staff], entries, hours)
            return grid.grab()  # paints offscreen

        return run

    def week_view(day: date) -> Callable[[], object]:
        monday = day - timedelta(days=day.weekday())

        def run() -> object:
            entries = busy_clinic.appointments.book(monday, 7, [staff[0].id])
            grid.show_book(
                [
                    BookColumn(
                        f"{monday + timedelta(days=i)}", monday + timedelta(days=i), staff[0].id
                    )
                    for i in range(5)
                ],
                entries,
                hours,
            )
            return grid.grab()

        return run

    print(
        f"\n[bench] {busy_clinic.conn.execute('SELECT count(*) FROM appointments').fetchone()[0]}"
        f" appointments, {BENCH_PATIENTS} patients"
    )
    report(
        measure("day view (query + layout + paint)", [day_view(d) for d in days]),
        measure("same day SELECT raw", [_raw_book(busy_clinic, d, 1) for d in days]),
        target_ms=30,
    )
    report(
        measure(
            "week view, one practitioner (query + layout + paint)",
            [week_view(d) for d in days[::5]],
            repeat=3,
        ),
        measure(
            "same week SELECT raw", [_raw_book(busy_clinic, d, 7) for d in days[::5]], repeat=3
        ),
        target_ms=100,
    )


@pytest.mark.bench
def test_recall_list_for_a_month(busy_clinic: Store, report: Callable[..., None]) -> None:
    months = [date(2027, m, 1) for m in range(1, 7)]

    def month(first: date) -> Callable[[], object]:
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)

        def run() -> object:
            return recall_list(busy_clinic, BENCH_TODAY, NOW, RecallFilter(first, last))

        return run

    sizes = [len(month(m)()) for m in months]  # type: ignore[arg-type]
    print(f"\n[bench] recall list sizes per month: {sizes}")
    report(measure("recall list for a month", [month(m) for m in months], repeat=3), target_ms=100)


@pytest.mark.bench
def test_one_thousand_recall_letters(busy_clinic: Store, report: Callable[..., None]) -> None:
    actor: User = ensure_local_user(busy_clinic)
    due = [
        r.patient_id for r in recall_list(busy_clinic, BENCH_TODAY, NOW) if not r.protected_identity
    ][:1500]
    plan = plan_letters(busy_clinic, due, BENCH_TODAY, NOW)
    letters = plan.letters[:1000]
    start = time.perf_counter()
    for letter in letters:
        send_letter(busy_clinic, actor, letter, BENCH_TODAY)
    total = time.perf_counter() - start
    per_letter = Figures(
        f"{len(letters)} recall letters (PDF + archive), total {total:.1f} s",
        [total * 1000 / max(1, len(letters))],
    )
    report(per_letter, target_ms=20)


@pytest.mark.bench
def test_no_show_statistics(busy_clinic: Store, report: Callable[..., None]) -> None:
    """What the statistics tab reads: a year by month, practitioner and kind, and the top list."""
    first = date(BENCH_TODAY.year - 1, BENCH_TODAY.month, 1)
    store = busy_clinic

    def statistics() -> object:
        cube = store.no_shows.rate_cube(first, BENCH_TODAY)
        return (
            cube.by("month"),
            cube.by("practitioner"),
            cube.by("kind"),
            store.no_shows.most_no_shows(first, BENCH_TODAY),
        )

    report(
        measure("no-show statistics for a year (2 queries, 3 groupings)", [statistics] * 5),
        target_ms=200,
    )
