from django.views.generic import DetailView, ListView

from .models import DevelopmentRoom, Workshop


class WorkshopListView(ListView):
    template_name = "workshops/workshop_list.html"
    context_object_name = "workshops"

    def get_queryset(self):
        return Workshop.objects.published()


class WorkshopDetailView(DetailView):
    template_name = "workshops/workshop_detail.html"
    context_object_name = "workshop"

    def get_queryset(self):
        return Workshop.objects.published()


class DevelopmentRoomDetailView(DetailView):
    template_name = "workshops/development_room_detail.html"
    context_object_name = "room"

    def get_queryset(self):
        return DevelopmentRoom.objects.published()
