from django.urls import path

from . import booklet_views, views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    # Inspiration booklets (PDF) and "Min inspirationsmappe" (issue 5).
    path("hent/pdf/", booklet_views.booklet, name="booklet"),
    path("mappe/", booklet_views.folder, name="folder"),
    path("mappe/pdf/", booklet_views.folder_pdf, name="folder_pdf"),
    path("mappe/tilfoej/", booklet_views.folder_add, name="folder_add"),
    path("mappe/fjern/", booklet_views.folder_remove, name="folder_remove"),
    path("mappe/flyt/", booklet_views.folder_move, name="folder_move"),
    path("mappe/toem/", booklet_views.folder_clear, name="folder_clear"),
    path("<slug:slug>/pdf/", booklet_views.case_pdf, name="case_pdf"),
    path("<slug:slug>/", views.CaseDetailView.as_view(), name="detail"),
]
