"""Login, idle lock, quick switch, log review, demo start (first start: test_setup_wizard)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from clinic_desk.demo import DEMO_PASSWORD, build_demo_clinic
from clinic_desk.domain.people import Profession, User
from clinic_desk.paths import AppPaths, paths_for
from clinic_desk.store.encryption import file_state
from clinic_desk.store.store import Store
from clinic_desk.ui.access_review_dialog import AccessReviewDialog
from clinic_desk.ui.app import open_clinic
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.session import LoginDialog
from clinic_desk.workflows.auth import hash_password
from clinic_desk.workflows.staff import add_staff
from tests.gui.helpers import child, drive_modal, save_from_preview, type_text

PASSWORD = "admin-lösen-1"


def _ok(dialog: QDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox, "buttons")
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _with_password(store: Store, user: User, password: str) -> None:
    with store.transaction():
        store.users.set_password_hash(user.id, hash_password(password))


def _actions(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY id")]


def test_a_wrong_password_keeps_the_login_open_with_a_message(
    qtbot: QtBot, store: Store, actor: User
) -> None:
    _with_password(store, actor, PASSWORD)
    dialog = LoginDialog(None, store)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.form.username, actor.username)
    type_text(qtbot, dialog.form.password, "fel")
    _ok(dialog)
    assert dialog.user is None
    assert dialog.form.message.text() == "Fel användarnamn eller lösenord."
    assert dialog.form.password.text() == ""
    for _ in range(2):
        type_text(qtbot, dialog.form.password, "fel")
        _ok(dialog)
    ok = dialog.form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # the third failure: wait before the next try
    assert "sekunder" in dialog.form.message.text()


def test_idle_minutes_lock_the_screen_and_the_own_password_unlocks(
    qtbot: QtBot, ctx: AppContext
) -> None:
    _with_password(ctx.store, ctx.user, PASSWORD)
    before = ctx.user
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []

    def unlock(dialog: QDialog) -> None:
        assert window.security.locked
        assert window.findChild(object, "lock_curtain") is not None  # nothing shows
        seen.append(dialog.windowTitle())
        type_text(qtbot, child(dialog, object, "password"), "fel-lösen")
        _ok(dialog)
        assert dialog.isVisible()  # a wrong password keeps it locked
        window.security.idle.set_minutes(10)  # no second lock right after this one
        type_text(qtbot, child(dialog, object, "password"), PASSWORD)
        _ok(dialog)

    def wait_for_lock() -> None:
        window.security.idle.set_interval_ms(30)
        qtbot.waitUntil(lambda: bool(seen), timeout=3000)

    drive_modal(qtbot, wait_for_lock, unlock)
    assert not window.security.locked
    assert seen == ["Skärmen är låst"]
    assert ctx.user == before
    assert _actions(ctx.store)[-3:] == ["session.lock", "login.failed", "session.unlock"]
    assert (
        window.findChild(object, "lock_curtain") is None
        or not window.findChild(object, "lock_curtain").isVisible()
    )
    window.close()


def test_quick_switch_logs_in_another_user_and_changes_what_is_shown(
    qtbot: QtBot, ctx: AppContext
) -> None:
    add_staff(
        ctx.store, ctx.user, "petra.ek", "Petra Ek", Profession.RECEPTIONIST,
        password_hash=hash_password("petras-lösen"),
    )  # fmt: skip
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.security.action_review.isVisible()

    def switch(dialog: QDialog) -> None:
        button = dialog.findChild(QPushButton, "switch_user")
        assert button is not None
        button.click()
        type_text(qtbot, child(dialog, object, "username"), "petra.ek")
        type_text(qtbot, child(dialog, object, "password"), "petras-lösen")
        _ok(dialog)

    drive_modal(qtbot, window.security.switch_user, switch)
    assert ctx.user.username == "petra.ek"
    assert "Petra Ek" in window.user_label.text()
    assert not window.security.action_review.isVisible()  # receptionists do not read the log
    last = ctx.store.conn.execute(
        "SELECT action, json_extract(detail, '$.switched_from') FROM audit_log"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert last[0] == "login.ok"
    window.close()


def test_the_review_flags_unusual_access_verifies_the_chain_and_exports_a_pdf(
    qtbot: QtBot,
    ctx: AppContext,
    register: object,
    pid: object,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    patient = register(pid("20150307"), "Maja", "Lindqvist", protected_identity=True)  # type: ignore[operator]
    from clinic_desk.workflows.patients import open_patient_record

    petra_id = add_staff(ctx.store, ctx.user, "petra.ek", "Petra Ek", Profession.RECEPTIONIST)
    petra = ctx.store.users.get(petra_id)
    assert petra is not None
    open_patient_record(ctx.store, ctx.user, patient)  # registered it today: a relation
    open_patient_record(ctx.store, petra, patient)  # no listing, visit or booking today
    dialog = AccessReviewDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.form.flagged_only.setChecked(True)
    dialog.run()
    model = dialog.model
    assert model.rowCount() >= 1
    flagged = model.row(0)
    assert flagged.action == "patient.open"
    assert flagged.user_name == "Petra Ek"
    assert flagged.flags == {"protected", "no_relation"}
    own = model.row(1)
    assert own.user_id == ctx.user.id
    assert own.flags == {"protected"}
    assert flagged.patient_name == "Skyddad identitet"
    dialog.verify()
    assert dialog.form.chain_status.text().startswith("Hel:")
    target = tmp_path / "granskning.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    type_text(qtbot, dialog.form.note, "Granskat, kontrollerat med behandlaren.")
    drive_modal(qtbot, dialog.export, save_from_preview)
    assert target.read_bytes().startswith(b"%PDF")
    archived = ctx.store.conn.execute(
        "SELECT kind FROM documents ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert archived == ("access_review",)
    assert _actions(ctx.store)[-1] == "audit.review"


def test_the_review_is_refused_to_a_dentist(qtbot: QtBot, ctx: AppContext) -> None:
    from clinic_desk.domain.permissions import PermissionDenied

    dentist = ctx.store.users.with_profession(Profession.DENTIST)[0]
    ctx.user = dentist
    with pytest.raises(PermissionDenied, match="läsa och granska åtkomstloggen"):
        AccessReviewDialog(None, ctx)


def test_the_demo_opens_straight_onto_the_main_window(qtbot: QtBot, tmp_path: Path) -> None:
    paths: AppPaths = paths_for(tmp_path / "demo").ensure()
    plain = Store.open(paths.database, paths.backup_dir)
    build_demo_clinic(plain, 20, today=date(2026, 11, 23))
    plain.close()
    ctx = open_clinic(paths, demo=True)  # no dialog: the demo administrator logs in itself
    assert ctx is not None
    try:
        assert ctx.user.profession is Profession.ADMINISTRATOR
        assert file_state(paths.database) == "encrypted"
        assert _actions(ctx.store)[-1] == "login.ok"
        nurse = ctx.store.users.with_profession(Profession.DENTAL_NURSE)
        dentist = ctx.store.users.with_profession(Profession.DENTIST)[0]
        from clinic_desk.workflows.auth import log_in

        assert log_in(ctx.store, dentist.username, DEMO_PASSWORD) == dentist
        del nurse
    finally:
        ctx.store.close()


def test_a_new_account_gets_its_first_password_in_the_staff_dialog(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from clinic_desk.ui.staff_dialog import StaffDialog
    from clinic_desk.workflows.auth import log_in

    dialog = StaffDialog(None, ctx)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.form.username, "sara.nilsson")
    type_text(qtbot, dialog.form.full_name, "Sara Nilsson")
    dialog.form.add_staff.click()
    assert ctx.store.users.by_username("sara.nilsson") is None  # no password: not added
    assert any("minst 8 tecken" in m for m in dialog.errors.messages())
    type_text(qtbot, dialog.form.password, "saras-lösen")
    dialog.form.add_staff.click()
    sara = ctx.store.users.by_username("sara.nilsson")
    assert sara is not None
    assert log_in(ctx.store, "sara.nilsson", "saras-lösen") == sara


def test_input_counts_as_activity_once_the_window_has_started(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """Typing keeps the idle lock away; its watching starts with `after_start`, after the
    first paint (see MainWindow.after_start)."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    idle = window.security.idle
    locks: list[bool] = []
    idle.idle.disconnect()
    idle.idle.connect(lambda: locks.append(True))
    idle.set_interval_ms(1000)
    qtbot.wait(300)
    qtbot.keyClick(window.search.form.search_box, "a")  # not watched yet: the count goes on
    qtbot.waitUntil(lambda: bool(locks), timeout=3000)
    locks.clear()
    idle.watch_input()
    idle.restart()
    for _ in range(5):  # 5 × 300 ms of typing outlasts the 1 s idle time
        qtbot.wait(300)
        qtbot.keyClick(window.search.form.search_box, "b")
    assert locks == []
    qtbot.waitUntil(lambda: bool(locks), timeout=3000)  # and with no input it locks
    window.close()
