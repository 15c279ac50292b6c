"""The annual work report's URLs: the public list and pages (a draft is never public), the staff pages (every
staff member reads; programme and finance officers and administrators write)."""

from . import Entry, expect


def setup(fx):
    from transparency import workreport

    fx.workreport_draft, _created = workreport.work_report_assemble(
        year=2025, by=fx.people["programme_officer"]
    )


STAFF_READ = expect(404, anonymous=302, staff=200)
STAFF_WRITE_PAGE = expect(404, anonymous=302, staff=200, trainer=403)
# Posting sends back to the report's page (with the outcome as a message); a trainer may not.
STAFF_WRITE_POST = expect(404, anonymous=302, staff=302, trainer=403)

ENTRIES = {
    "transparency:workreport_list": Entry(expect(200)),
    "transparency:workreport_detail": Entry(
        expect(404), kwargs=lambda fx: {"year": fx.workreport_draft.year}
    ),
    "transparency:workreport_staff_list": Entry(STAFF_READ),
    "transparency:workreport_staff_detail": Entry(
        STAFF_READ, kwargs=lambda fx: {"year": fx.workreport_draft.year}
    ),
    "transparency:workreport_section_edit": Entry(
        STAFF_WRITE_PAGE, kwargs=lambda fx: {"year": fx.workreport_draft.year, "key": "money"}
    ),
    "transparency:workreport_refresh": Entry(
        STAFF_WRITE_POST, method="post", kwargs=lambda fx: {"year": fx.workreport_draft.year}
    ),
    # The draft's sections are empty: publishing is refused with a message, for every writer alike.
    "transparency:workreport_publish": Entry(
        STAFF_WRITE_POST, method="post", kwargs=lambda fx: {"year": fx.workreport_draft.year}
    ),
}
