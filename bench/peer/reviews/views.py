"""POST /reviews: validate a review of five scores and save it (a new one, or a new version of
the judge's review of that subject) in one transaction."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from reviews.models import Review

LEAVES = ("L1", "L2", "L3", "L4", "L5")


class ReviewForm(forms.Form):
    judge = forms.UUIDField()
    subject = forms.UUIDField()
    l1 = forms.DecimalField(min_value=0, max_value=20, decimal_places=1, step_size=Decimal("0.5"))
    l2 = forms.DecimalField(min_value=0, max_value=20, decimal_places=1, step_size=Decimal("0.5"))
    l3 = forms.DecimalField(min_value=0, max_value=20, decimal_places=1, step_size=Decimal("0.5"))
    l4 = forms.DecimalField(min_value=0, max_value=20, decimal_places=1, step_size=Decimal("0.5"))
    l5 = forms.DecimalField(min_value=0, max_value=20, decimal_places=1, step_size=Decimal("0.5"))


@csrf_exempt
@require_POST
def review(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body)
        data = {"judge": body["judge"], "subject": body["subject"]}
        data |= {code.lower(): str(body["scores"][code]) for code in LEAVES}
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "a JSON review with judge, subject and scores"}, status=400)
    form = ReviewForm(data)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    values = form.cleaned_data
    scores = {f"l{i}": values[f"l{i}"] for i in range(1, 6)}
    with transaction.atomic():
        saved, created = Review.objects.select_for_update().get_or_create(
            judge_id=values["judge"], subject_id=values["subject"], defaults=scores)
        if not created:
            Review.objects.filter(pk=saved.pk).update(**scores, version=F("version") + 1)
    return JsonResponse({"id": saved.pk, "created": created})
