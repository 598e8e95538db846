from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def indicators(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/placeholder.html")


def framework(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/placeholder.html")


def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/placeholder.html")
