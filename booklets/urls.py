"""Inspiration booklets (PDF) and "Min inspirationsmappe" (issue 5), under /cases/.

Included before `cases.urls` in portal/urls.py: "mappe/" would otherwise be read as a
case's slug. The paths are the ones saved links and printed booklets already use.
"""

from django.urls import path

from . import views

app_name = "booklets"

urlpatterns = [
    path("hent/pdf/", views.booklet, name="booklet"),
    path("mappe/", views.folder, name="folder"),
    path("mappe/pdf/", views.folder_pdf, name="folder_pdf"),
    path("mappe/tilfoej/", views.folder_add, name="folder_add"),
    path("mappe/fjern/", views.folder_remove, name="folder_remove"),
    path("mappe/flyt/", views.folder_move, name="folder_move"),
    path("mappe/toem/", views.folder_clear, name="folder_clear"),
    path("<slug:slug>/pdf/", views.case_pdf, name="case_pdf"),
]
