"""Screenshots of contract compliance (docs/images/*.png): the morning view, the deviation
register and the region's follow-up cases, called from tools/screenshots.py on its demo
clinic; also writes the dashboard PDF next to the images' folder for a look as PNG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from clinic_desk.ui.compliance_page import TAB_DEVIATIONS, TAB_REGION
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.workflows.compliance import print_dashboard


def shoot_compliance(
    window: MainWindow, ctx: AppContext, save: Callable[[QWidget, str], None], pdf_to: Path
) -> None:
    """The morning view with its first red check chosen, the register, the region's cases;
    the dashboard PDF saved to `pdf_to`."""
    window.compliance.open_morning_view()
    page = window.compliance.page
    assert page.dashboard is not None
    first_red = next(r.key for r in page.dashboard.results if r.light.name == "RED")
    page.select_check(first_red)
    save(window, "compliance-morning")
    page.form.tabs.setCurrentIndex(TAB_DEVIATIONS)
    if page.deviations.rows:
        page.form.deviations.selectRow(0)
    save(window, "compliance-deviations")
    page.form.tabs.setCurrentIndex(TAB_REGION)
    if page.follow_ups.records:  # the newest: the failed, sanctioned case
        page.follow_ups.select(page.follow_ups.records[0].id)
    save(window, "compliance-region")
    document = print_dashboard(ctx.store, ctx.user, page.dashboard)
    pdf_to.write_bytes(ctx.store.documents.content(document.id))
    print(pdf_to)
    window.show_search()
