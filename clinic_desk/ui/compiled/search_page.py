"""Generated from forms/search_page.ui by tools/compile_forms.py: do not edit.

Change the form in Designer and run the tool again; a test checks the two agree.
"""

from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)


class Ui_SearchPage:
    def setupUi(self, SearchPage):
        if not SearchPage.objectName():
            SearchPage.setObjectName("SearchPage")
        self.layout = QVBoxLayout(SearchPage)
        self.layout.setObjectName("layout")
        self.search_row = QHBoxLayout()
        self.search_row.setObjectName("search_row")
        self.search_box = QLineEdit(SearchPage)
        self.search_box.setObjectName("search_box")
        self.search_box.setClearButtonEnabled(True)

        self.search_row.addWidget(self.search_box)

        self.include_ended = QCheckBox(SearchPage)
        self.include_ended.setObjectName("include_ended")
        self.include_ended.setChecked(True)

        self.search_row.addWidget(self.include_ended)

        self.new_patient = QPushButton(SearchPage)
        self.new_patient.setObjectName("new_patient")

        self.search_row.addWidget(self.new_patient)

        self.layout.addLayout(self.search_row)

        self.results = QTableView(SearchPage)
        self.results.setObjectName("results")
        self.results.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SingleSelection)
        self.results.setSortingEnabled(True)
        self.results.setAlternatingRowColors(True)
        self.results.setEditTriggers(QAbstractItemView.NoEditTriggers)

        self.layout.addWidget(self.results)

        self.result_count = QLabel(SearchPage)
        self.result_count.setObjectName("result_count")

        self.layout.addWidget(self.result_count)

        self.retranslateUi(SearchPage)

        QMetaObject.connectSlotsByName(SearchPage)

    # setupUi

    def retranslateUi(self, SearchPage):
        self.search_box.setPlaceholderText(
            QCoreApplication.translate(
                "SearchPage",
                "S\u00f6k p\u00e5 namn, personnummer eller telefon \u2013 Enter \u00f6ppnar patienten",
                None,
            )
        )
        self.include_ended.setText(QCoreApplication.translate("SearchPage", "Visa avslutade", None))
        self.new_patient.setText(
            QCoreApplication.translate("SearchPage", "Ny patient (Ctrl+N)", None)
        )
        self.result_count.setText("")

    # retranslateUi


UI = Ui_SearchPage
