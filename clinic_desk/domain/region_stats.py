"""Annual statistics for the clinic's report to the region (seed 000 §8.1, seed 004).

The store counts (grouped SQL); this module turns counts into the figures the screen and
the PDF show, so both show the same numbers. Patients with protected identity are left out,
as in the region files. Ages are the age the patient turns that year (the contract's
"3-åringar", "19-åringar").
"""

from __future__ import annotations

from dataclasses import dataclass

CARIES_FREE_AGES = (3, 6, 12, 19)
AGES = tuple(range(3, 20))


@dataclass(frozen=True)
class StatisticsCounts:
    """What the store counted for one year."""

    year: int
    listed_by_age: tuple[tuple[int, int], ...]  # (age, patients listed)
    # (due in the year, had a revision exam in the year, exam by the due date, patients)
    recall: tuple[tuple[bool, bool, bool, int], ...]
    # (age, examined patients, caries-free, sum of dft, sum of DFT) from each patient's
    # latest revision exam with indices in the year
    caries_by_age: tuple[tuple[int, int, int, int, int], ...]
    emergency: tuple[tuple[str, int], ...]  # ('own' or payer kind, visits)


@dataclass(frozen=True)
class AgeFigures:
    """One age's figures."""

    age: int
    listed: int
    examined: int
    caries_free: int
    mean_dft: float | None
    mean_perm_dft: float | None  # DFT: decayed or filled permanent teeth

    @property
    def caries_free_percent(self) -> float | None:
        return percent(self.caries_free, self.examined)


@dataclass(frozen=True)
class AnnualStatistics:
    """Everything the statistics screen and the annual PDF show for one year."""

    year: int
    ages: tuple[AgeFigures, ...]
    listed_total: int
    exams_due: int
    exams_done: int
    due_and_done: int
    in_time: int
    emergency_given: int
    emergency_given_by_payer: tuple[tuple[str, int], ...]
    emergency_own_patients: int
    appointments: int
    no_shows: int

    @property
    def in_time_percent(self) -> float | None:
        """Share of the patients due this year who had their exam by the due date."""
        return percent(self.in_time, self.exams_due)

    @property
    def no_show_percent(self) -> float | None:
        return percent(self.no_shows, self.appointments)

    def age(self, age: int) -> AgeFigures:
        """The figures of one age (3-19)."""
        return self.ages[age - AGES[0]]

    def caries_free_shares(self) -> list[tuple[int, float | None]]:
        """(age, caries-free per cent) at the ages the region follows: 3, 6, 12, 19."""
        return [(a, self.age(a).caries_free_percent) for a in CARIES_FREE_AGES]


def percent(part: int, whole: int) -> float | None:
    """part / whole in per cent, rounded to one decimal; None when whole is 0."""
    return round(100.0 * part / whole, 1) if whole else None


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def annual_statistics(
    counts: StatisticsCounts, appointments: int, no_shows: int
) -> AnnualStatistics:
    """Fold the store's counts (and the year's no-show counts) into the year's figures."""
    listed = dict(counts.listed_by_age)
    caries = {row[0]: row[1:] for row in counts.caries_by_age}
    ages = []
    for age in AGES:
        examined, free, dft, perm = caries.get(age, (0, 0, 0, 0))
        ages.append(
            AgeFigures(
                age, listed.get(age, 0), examined, free, _mean(dft, examined), _mean(perm, examined)
            )
        )
    due = sum(n for is_due, _h, _t, n in counts.recall if is_due)
    done = sum(n for _d, has, _t, n in counts.recall if has)
    due_done = sum(n for is_due, has, _t, n in counts.recall if is_due and has)
    in_time = sum(n for is_due, _h, t, n in counts.recall if is_due and t)
    given = [(k, n) for k, n in counts.emergency if k != "own"]
    return AnnualStatistics(
        year=counts.year,
        ages=tuple(ages),
        listed_total=sum(listed.values()),
        exams_due=due,
        exams_done=done,
        due_and_done=due_done,
        in_time=in_time,
        emergency_given=sum(n for _k, n in given),
        emergency_given_by_payer=tuple(sorted(given)),
        emergency_own_patients=sum(n for k, n in counts.emergency if k == "own"),
        appointments=appointments,
        no_shows=no_shows,
    )


PAYER_LABELS = {
    "listing_clinic": "listningskliniken",
    "area_clinic": "områdesansvarig klinik",
    "commissioning_unit": "beställarenheten",
    "no_invoice": "ingen faktura (egen kostnad)",
}


def format_percent(value: float | None) -> str:
    """12.5 -> '12,5 %'; None -> '–' (nobody to count)."""
    return "–" if value is None else f"{value:.1f} %".replace(".", ",")


def format_mean(value: float | None) -> str:
    """0.43 -> '0,43'; None -> '–'."""
    return "–" if value is None else f"{value:.2f}".replace(".", ",")
