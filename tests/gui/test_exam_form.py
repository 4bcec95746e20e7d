"""A dentist records exams through the patient card and the exam form, as a person would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.domain.exams import ExamKind, ReferralAnswer, TobaccoProduct, TobaccoStatus
from clinic_desk.domain.people import Profession, User
from clinic_desk.paths import AppPaths
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.exam_dialog import ExamDialog, _select
from clinic_desk.ui.exams_section import ExamsSection
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.workflows.staff import add_staff
from tests.gui.conftest import GUI_TODAY
from tests.gui.helpers import drive_modal, save_from_preview, type_text


@pytest.fixture
def dentist_ctx(
    store: Store, app_paths: AppPaths, clinics: dict[str, int], dentist_id: int
) -> AppContext:
    dentist = store.users.get(dentist_id)
    assert dentist is not None
    return AppContext(store=store, user=dentist, paths=app_paths, today=lambda: GUI_TODAY)


def _exams(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM exams").fetchone()[0])


def _open_section(
    qtbot: QtBot, ctx: AppContext, patient_id: int
) -> tuple[MainWindow, ExamsSection]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_patient(patient_id)
    section = next(s for s in window.card.sections if isinstance(s, ExamsSection))
    tabs = window.card.form.tabs
    tabs.setCurrentWidget(section.widget())
    return window, section


def _type_interval(qtbot: QtBot, dialog: ExamDialog, months: int) -> None:
    spin = dialog.form.interval_months
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(months))
    assert spin.value() == months


def _fill_revision(qtbot: QtBot, dialog: ExamDialog, months: int) -> None:
    f = dialog.form
    assert f.kind.currentData() is ExamKind.DENTIST_REVISION
    f.risk_group.setCurrentIndex(2)  # Medel
    dialog.factor_boxes[next(iter(dialog.factor_boxes))].click()
    _type_interval(qtbot, dialog, months)
    f.perm_dft.setValue(2)
    f.perm_dfs.setValue(3)
    f.perm_dfs_approximal.setValue(1)
    qtbot.mouseClick(f.tobacco_all_never, Qt.MouseButton.LeftButton)
    f.findings.setFocus()
    qtbot.keyClicks(f.findings, "Initial karies 16d.")
    f.treatment_plan.setFocus()
    qtbot.keyClicks(f.treatment_plan, "Fluorlack, kostsamtal.")


def _save_and_sign(dialog: QDialog) -> None:
    button = dialog.findChild(QPushButton, "save_and_sign")
    assert isinstance(button, QPushButton)
    button.click()


def _errors(dialog: QWidget) -> list[str]:
    return [
        label.text()
        for label in dialog.findChildren(QLabel)
        if label.objectName().startswith(("error_", "general_errors")) and label.text()
    ]


def test_dentist_records_and_signs_an_exam_with_tobacco_for_a_14_year_old(
    qtbot: QtBot,
    dentist_ctx: AppContext,
    register: Callable[..., int],
    pid: Callable[..., str],
) -> None:
    store = dentist_ctx.store
    patient_id = register(pid("20120601"), "Alva", "Lindqvist")  # 14 on the test date
    _window, section = _open_section(qtbot, dentist_ctx, patient_id)
    assert section.form.new_exam.isEnabled()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ExamDialog)
        assert "Tobaksvanor ska dokumenteras" in dialog.form.requirements.text()
        _fill_revision(qtbot, dialog, 12)
        assert dialog.form.next_due.text() == "Senast 2027-11-23"
        assert not dialog.form.referral_offered.isEnabled()
        _select(dialog.tobacco_combos[TobaccoProduct.SNUS], TobaccoStatus.DAILY)
        assert dialog.form.referral_offered.isEnabled()
        # Saving without the referral answer is refused at the field; nothing is saved.
        _save_and_sign(dialog)
        assert dialog.isVisible()
        assert any("hänvisning" in text.lower() for text in _errors(dialog))
        assert _exams(store) == 0
        _select(dialog.form.referral_offered, True)
        _select(dialog.form.referral_answer, ReferralAnswer.ACCEPTED)
        _save_and_sign(dialog)

    drive_modal(
        qtbot, lambda: qtbot.mouseClick(section.form.new_exam, Qt.MouseButton.LeftButton), fill
    )
    (exam,) = store.exams.for_patient(patient_id)
    assert exam.signed
    assert exam.kind is ExamKind.DENTIST_REVISION
    assert exam.examiner_id == dentist_ctx.user.id
    assert exam.next_revision_due == date(2027, 11, 23)
    assert exam.tobacco is not None
    assert exam.tobacco.status_of(TobaccoProduct.SNUS) is TobaccoStatus.DAILY
    assert exam.tobacco.referral_offered is True
    assert exam.tobacco.referral_answer is ReferralAnswer.ACCEPTED
    assert exam.indices is not None
    assert (exam.indices.perm_dft, exam.indices.caries_free) == (2, False)
    # The card shows it: the exam row, the tobacco history, the next revision.
    table = section.form.exams_table
    assert table.rowCount() == 1
    assert table.item(0, 3).text() == "Signerad"
    assert "2027-11-23" in section.form.summary.text()
    snus = [
        section.form.tobacco_table.item(r, 2).text()
        for r in range(section.form.tobacco_table.rowCount())
        if section.form.tobacco_table.item(r, 1).text() == "Snus"
    ]
    assert snus == ["Dagligen"]
    assert next(e.action for e in store.audit.for_patient(patient_id)) == "exam.sign"


@pytest.mark.parametrize(("birth", "accepted"), [("20110301", False), ("20100301", True)])
def test_a_25_month_interval_is_refused_at_15_and_accepted_at_16(
    qtbot: QtBot,
    dentist_ctx: AppContext,
    register: Callable[..., int],
    pid: Callable[..., str],
    birth: str,
    accepted: bool,
) -> None:
    store = dentist_ctx.store
    patient_id = register(pid(birth), "Nils", "Öberg")
    _window, section = _open_section(qtbot, dentist_ctx, patient_id)
    audit_before = store.audit.count()
    shown: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ExamDialog)
        _fill_revision(qtbot, dialog, 25)
        _save_and_sign(dialog)
        shown.extend(_errors(dialog))
        if dialog.isVisible():
            dialog.reject()

    drive_modal(qtbot, section.new_exam, fill)
    if accepted:
        assert shown == []
        (exam,) = store.exams.for_patient(patient_id)
        assert exam.signed
        assert exam.interval_months == 25
        assert exam.next_revision_due == date(2028, 12, 23)
        assert store.audit.count() == audit_before + 1
    else:
        assert shown == [
            "Planerat revisionsintervall 25 månader är längre än tillåtna 24 månader för en "
            "patient som är 15 år."
        ]
        assert _exams(store) == 0
        assert store.audit.count() == audit_before
        assert section.form.exams_table.rowCount() == 0


def test_the_administrator_records_no_exams(
    qtbot: QtBot, ctx: AppContext, register: Callable[..., int], pid: Callable[..., str]
) -> None:
    patient_id = register(pid("20120601"), "Alva", "Lindqvist")
    _window, section = _open_section(qtbot, ctx, patient_id)
    assert not section.form.new_exam.isEnabled()
    assert "journalför inga" in section.form.new_exam.toolTip()


def test_a_nurse_records_a_health_check_that_sets_no_revision(
    qtbot: QtBot,
    dentist_ctx: AppContext,
    actor: User,
    register: Callable[..., int],
    pid: Callable[..., str],
) -> None:
    store = dentist_ctx.store
    nurse_id = add_staff(store, actor, "lena.sjoberg", "Lena Sjöberg", Profession.DENTAL_NURSE)
    nurse = store.users.get(nurse_id)
    assert nurse is not None
    ctx = AppContext(store=store, user=nurse, paths=dentist_ctx.paths, today=lambda: GUI_TODAY)
    patient_id = register(pid("20180301"), "Ture", "Berg")
    _window, section = _open_section(qtbot, ctx, patient_id)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ExamDialog)
        f = dialog.form
        assert [f.kind.itemData(i) for i in range(f.kind.count())] == [ExamKind.HEALTH_CHECK]
        assert not f.risk_group.isEnabled()
        assert not f.interval_months.isEnabled()
        assert not f.indices_box.isEnabled()
        f.findings.setFocus()
        qtbot.keyClicks(f.findings, "Fin munhygien.")
        _save_and_sign(dialog)

    drive_modal(qtbot, section.new_exam, fill)
    (exam,) = store.exams.for_patient(patient_id)
    assert exam.signed
    assert exam.kind is ExamKind.HEALTH_CHECK
    assert store.exams.latest_signed_revision(patient_id) is None
    assert "Nästa revision" not in section.form.summary.text()


def test_draft_sign_amend_consent_and_print_from_the_card(
    qtbot: QtBot,
    dentist_ctx: AppContext,
    register: Callable[..., int],
    pid: Callable[..., str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = dentist_ctx.store
    patient_id = register(pid("20120601"), "Alva", "Lindqvist")
    _window, section = _open_section(qtbot, dentist_ctx, patient_id)

    def draft(dialog: QDialog) -> None:
        assert isinstance(dialog, ExamDialog)
        _fill_revision(qtbot, dialog, 12)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S

    drive_modal(qtbot, section.new_exam, draft)
    (exam,) = store.exams.for_patient(patient_id)
    assert not exam.signed
    section.form.exams_table.selectRow(0)
    assert section.form.sign_exam.isEnabled()
    qtbot.mouseClick(section.form.sign_exam, Qt.MouseButton.LeftButton)
    assert store.exams.for_patient(patient_id)[0].signed
    assert "signerades" in section.form.message.text()

    def amend(dialog: QDialog) -> None:
        f = dialog.form  # type: ignore[attr-defined]
        assert "Initial karies 16d." in f.exam_text.toPlainText()
        _select(
            f.field,
            next(
                f.field.itemData(i)
                for i in range(f.field.count())
                if f.field.itemData(i).value == "interval_months"
            ),
        )
        f.new_value.setPlainText("6")
        f.reason.setText("Hög kariesaktivitet")
        f.buttons.button(f.buttons.StandardButton.Save).click()

    section.form.exams_table.selectRow(0)
    drive_modal(qtbot, section.open_exam, amend)
    (exam,) = store.exams.for_patient(patient_id)
    assert exam.interval_months == 12
    assert exam.current_interval_months == 6
    assert section.form.exams_table.item(0, 5).text() == "6 mån"
    assert section.form.exams_table.item(0, 8).text() == "1"

    def consent(dialog: QDialog) -> None:
        f = dialog.form  # type: ignore[attr-defined]
        type_text(qtbot, f.scope, "Ortodontikliniken: journal och röntgen")
        f.buttons.button(f.buttons.StandardButton.Save).click()

    drive_modal(qtbot, section.add_consent, consent)
    assert section.form.consents_table.rowCount() == 1
    section.form.consents_table.selectRow(0)
    assert section.form.withdraw_consent.isEnabled()

    def withdraw(dialog: QDialog) -> None:
        f = dialog.form  # type: ignore[attr-defined]
        assert f.scope.isReadOnly()
        f.buttons.button(f.buttons.StandardButton.Save).click()

    drive_modal(qtbot, section.withdraw_consent, withdraw)
    assert section.form.consents_table.rowCount() == 2
    assert [c.action.value for c in store.exams.consents(patient_id)] == ["given", "withdrawn"]

    target = tmp_path / "utdrag.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "PDF"))
    )
    drive_modal(
        qtbot,
        lambda: qtbot.mouseClick(section.form.print_journal, Qt.MouseButton.LeftButton),
        save_from_preview,
    )
    assert target.read_bytes().startswith(b"%PDF")
    (document,) = store.documents.for_patient(patient_id)
    assert store.documents.content(document.id) == target.read_bytes()
    assert "arkiverades" in section.form.message.text()
    QApplication.processEvents()
