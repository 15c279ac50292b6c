"""Reference data of the projects app: the default criteria needs are scored on. Created by migration
0002 and again after every migrate/flush (post_migrate), without changing weights staff have edited."""

DEFAULT_CRITERIA = [
    ("severity", "Severity", "How serious the problem is for the people who have it", 3, 1),
    ("people_affected", "People affected", "How many people in the community have the problem", 2, 2),
    ("urgency", "Urgency", "How soon harm follows if nothing is done", 2, 3),
    ("feasibility", "Feasibility", "Whether the organization can act on it with its means", 1, 4),
]


def criteria_ensure(using: str = "default") -> int:
    from .models import ScoringCriterion  # noqa: PLC0415

    created = 0
    for key, name, description, weight, position in DEFAULT_CRITERIA:
        _obj, was_created = ScoringCriterion.objects.using(using).get_or_create(
            key=key,
            defaults={"name": name, "description": description, "weight": weight, "position": position},
        )
        created += int(was_created)
    return created
