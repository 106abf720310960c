from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.WorkshopListView.as_view(), name="list"),
    # Registration, cancellation and calendar (engineer W2): add patterns below this line.
    # --- registration/calendar patterns start ---
    # --- registration/calendar patterns end ---
    # Before "detail": its prefix would otherwise be read as a workshop slug.
    path(
        "udviklingsrum/<slug:slug>/",
        views.DevelopmentRoomDetailView.as_view(),
        name="development_room",
    ),
    path("<slug:slug>/", views.WorkshopDetailView.as_view(), name="detail"),
]
