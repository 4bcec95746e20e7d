"""Screenshots of the login, the lock screen and the access-log review (docs/images/*.png),
called from tools/screenshots.py on its demo clinic."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.domain.people import Profession
from clinic_desk.store.store import Store
from clinic_desk.ui.access_review_dialog import AccessReviewDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.session import Curtain, LoginDialog
from clinic_desk.workflows.patients import open_patient_record, reveal_protected_identity


def _activity(store: Store) -> None:
    """A morning's access: a nurse's normal openings, a burst, a protected record."""
    nurse = next(iter(store.users.with_profession(Profession.DENTAL_NURSE)), None)
    dentist = store.users.with_profession(Profession.DENTIST)[0]
    staff = nurse or dentist
    ids = [int(r[0]) for r in store.conn.execute("SELECT id FROM patients ORDER BY id LIMIT 30")]
    protected = store.conn.execute(
        "SELECT id FROM patients WHERE protected_identity = 1 LIMIT 1"
    ).fetchone()
    for patient_id in ids[:24]:
        open_patient_record(store, staff, patient_id)
    if protected:
        open_patient_record(store, dentist, int(protected[0]))
        reveal_protected_identity(store, dentist, int(protected[0]), "Kallelse ska skickas")


def shoot_security(
    window: MainWindow, ctx: AppContext, save: Callable[[QWidget, str], None]
) -> None:
    """login, lock-screen and log-review."""
    login = LoginDialog(None, ctx.store)
    login.form.username.setText(ctx.user.username)
    login.show()
    QApplication.processEvents()
    save(login, "login")
    login.close()

    window.show_search()
    curtain = Curtain(window)
    lock = LoginDialog(window, ctx.store, locked=ctx.user)
    lock.show()
    QApplication.processEvents()
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(
        QPoint((picture.width() - lock.width()) // 2, (picture.height() - lock.height()) // 3),
        lock.grab(),
    )
    painter.end()
    holder = _PixmapWidget(picture)
    save(holder, "lock-screen")
    lock.close()
    curtain.hide()
    curtain.deleteLater()

    _activity(ctx.store)
    review = AccessReviewDialog(window, ctx)
    review.form.flagged_only.setChecked(True)
    # The pictures are dated SHOT_DAY, but the log entries just made carry the real clock:
    # run past midnight, the default span would end before them.
    now = max(date.today(), ctx.today())
    review.form.last.setDate(QDate(now.year, now.month, now.day))
    review.run()
    review.verify()
    review.form.entries.resizeColumnsToContents()
    review.show()
    QApplication.processEvents()
    save(review, "log-review")
    review.close()


class _PixmapWidget(QWidget):
    """Shows one picture, so that save() can grab it like any widget."""

    def __init__(self, picture: object) -> None:
        super().__init__()
        self._picture = picture
        self.resize(picture.size())  # type: ignore[attr-defined]

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)  # type: ignore[arg-type]
        painter.end()
