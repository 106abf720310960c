from django.views.generic import DetailView, ListView, TemplateView

from .models import Theme


class HomeView(TemplateView):
    template_name = "portal/home.html"


class ThemeListView(ListView):
    model = Theme


class ThemeDetailView(DetailView):
    model = Theme
