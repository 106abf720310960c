from django.urls import path

from . import calendar, registration_views, views

app_name = "workshops"

urlpatterns = [
    path("", views.WorkshopListView.as_view(), name="list"),
    # First, so no pattern below reads "udviklingsrum" as a workshop's slug (reserved).
    path(
        "udviklingsrum/<slug:slug>/",
        views.DevelopmentRoomDetailView.as_view(),
        name="development_room",
    ),
    # Registration, cancellation and calendar (engineer W2): add patterns below this line.
    # --- registration/calendar patterns start ---
    path("kalender.ics", calendar.calendar_feed, name="calendar"),
    # Three parts, so no workshop's slug can make "<slug>/tilmeld/" look like it.
    path("tilmelding/afmeld/<str:token>/", registration_views.CancelView.as_view(), name="cancel"),
    path("<slug:slug>/tilmeld/", registration_views.RegisterView.as_view(), name="register"),
    path("<slug:slug>/tilmeld/kvittering/", registration_views.registered, name="registered"),
    path("<slug:slug>/kalender.ics", calendar.workshop_ics, name="ics"),
    # --- registration/calendar patterns end ---
    path("<slug:slug>/", views.WorkshopDetailView.as_view(), name="detail"),
]
