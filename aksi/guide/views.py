from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aksi.guide.sections import SECTIONS, SECTIONS_BY_SLUG


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "guide/index.html", {"sections": SECTIONS})


@require_GET
def section(request: HttpRequest, slug: str) -> HttpResponse:
    current = SECTIONS_BY_SLUG.get(slug)
    if current is None:
        raise Http404(slug)
    position = SECTIONS.index(current)
    context = {
        "section": current,
        "sections": SECTIONS,
        "previous": SECTIONS[position - 1] if position > 0 else None,
        "next": SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None,
        "body_template": f"guide/sections/{slug}.html",
    }
    return render(request, "guide/section.html", context)
