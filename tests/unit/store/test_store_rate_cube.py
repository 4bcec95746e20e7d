"""The no-show statistics fold one grouped pass three ways; each way must equal its sum."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.store.no_shows import RateCube, RateRow

MONTHS = ["2026-01", "2026-02", "2026-10"]
PRACTITIONERS = ["2", "10", "3"]
KINDS = ["revision", "treatment"]

cells = st.lists(
    st.tuples(
        st.sampled_from(MONTHS),
        st.sampled_from(PRACTITIONERS),
        st.sampled_from(KINDS),
        st.integers(1, 50),
        st.integers(0, 10),
        st.integers(0, 10),
    ),
    max_size=30,
).map(lambda rows: tuple({r[:3]: r for r in rows}.values()))


def _direct(cube: RateCube, axis: int) -> dict[str, tuple[int, int, int]]:
    out: dict[str, tuple[int, int, int]] = {}
    for cell in cube.cells:
        total, missed, late = out.get(cell[axis], (0, 0, 0))
        out[cell[axis]] = (total + cell[3], missed + cell[4], late + cell[5])
    return out


@settings(max_examples=200, deadline=None)
@given(cells)
def test_each_grouping_sums_the_cells(raw: tuple[tuple[str, str, str, int, int, int], ...]) -> None:
    cube = RateCube(raw)
    for group, axis in (("month", 0), ("practitioner", 1), ("kind", 2)):
        rows = cube.by(group)
        assert {r.key: (r.total, r.no_shows, r.late_cancellations) for r in rows} == _direct(
            cube, axis
        )
        assert sum(r.total for r in rows) == sum(c[3] for c in raw)


def test_practitioners_sort_by_number_and_months_by_date() -> None:
    cube = RateCube(
        (
            ("2026-10", "10", "revision", 4, 1, 0),
            ("2026-02", "2", "revision", 2, 0, 1),
        )
    )
    assert [r.key for r in cube.by("practitioner")] == ["2", "10"]
    assert [r.key for r in cube.by("month")] == ["2026-02", "2026-10"]
    assert cube.by("kind") == [RateRow("revision", 6, 1, 1)]


def test_an_empty_period_gives_no_rows() -> None:
    assert RateCube(()).by("month") == []
