"""Loads the reference data (area tree, themes). Idempotent: existing rows are left as they are."""

from .areas_data import CITIES, COMMUNITY_NAMES, COUNTIES, THEMES, TOWNS
from .models import Area, Theme


def reference_data_load() -> dict:
    created = {"areas": 0, "themes": 0}
    by_code: dict[str, Area] = {a.code: a for a in Area.objects.all()}

    def ensure(code, name, name_en, level, parent):
        if code in by_code:
            return by_code[code]
        area = Area.objects.create(code=code, name=name, name_en=name_en, level=level, parent=parent)
        by_code[code] = area
        created["areas"] += 1
        return area

    for code, name, name_en in CITIES:
        ensure(code, name, name_en, Area.Level.CITY, None)
    for code, name, name_en in COUNTIES:
        ensure(code, name, name_en, Area.Level.COUNTY, by_code[code[:4] + "00"])
    for code, name, name_en in TOWNS:
        town = ensure(code, name, name_en, Area.Level.TOWN, by_code[code[:6]])
        for i, (cname, cname_en) in enumerate(COMMUNITY_NAMES, start=1):
            ensure(f"{code}{i:03d}", cname, cname_en, Area.Level.COMMUNITY, town)
    for slug, name, name_zh in THEMES:
        _, was_created = Theme.objects.get_or_create(
            slug=slug, defaults={"name_en": name, "name_zh_hans": name_zh}
        )
        created["themes"] += int(was_created)
    return created
