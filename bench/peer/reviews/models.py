from django.db import models

POINTS = {"max_digits": 4, "decimal_places": 1}


class Review(models.Model):
    """One judge's review of one subject: five scores (ids only, no foreign keys)."""

    judge_id = models.UUIDField()
    subject_id = models.UUIDField()
    l1 = models.DecimalField(**POINTS)
    l2 = models.DecimalField(**POINTS)
    l3 = models.DecimalField(**POINTS)
    l4 = models.DecimalField(**POINTS)
    l5 = models.DecimalField(**POINTS)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "reviews"
        constraints = [models.UniqueConstraint(fields=["judge_id", "subject_id"],
                                               name="one_review_per_judge_and_subject")]
