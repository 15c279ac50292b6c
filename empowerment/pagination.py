"""Public lists whose length grows with the programme: pages without a full count of every row."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# A list counts its rows up to this many (or up to the end of the page asked for, if further on).
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator whose count reads at most `cap` rows, or up to the end of page `reach` when that is
    further (rounded up to whole pages), plus one to know whether more follow: a list of any length costs
    the same bounded count (SELECT COUNT(*) over a LIMIT) instead of a COUNT(*) over every matching row.

    `capped` says the count stopped there: the list then says "more than `bound`", pages are full pages
    and the last page counted has a next one, so a visitor can page on (the paginator made for page n
    counts at least to its end)."""

    def __init__(self, object_list, per_page, *, reach: int = 1, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        cap = COUNT_CAP if cap is None else cap
        pages = -(-max(cap, reach * self.per_page) // self.per_page)
        self.bound = pages * self.per_page
        self.first_bound = -(-cap // self.per_page) * self.per_page  # the bound of every page up to the cap

    @cached_property
    def count(self) -> int:
        """The rows counted: the true number when not capped, else bound + 1."""
        rows = self.object_list
        if hasattr(rows, "count_up_to"):  # empowerment.querysets.CompiledList
            return rows.count_up_to(self.bound + 1, compiled_bound=self.first_bound + 1)
        if hasattr(rows, "query"):
            return rows.order_by().values("pk")[: self.bound + 1].count()
        return len(rows[: self.bound + 1])

    @cached_property
    def capped(self) -> bool:
        return self.count > self.bound

    def page(self, number):
        if number == 1:
            # The first page's rows are read first: fewer than a page are the whole list, whose count is
            # then known without a statement of its own (a search finding a few projects reads them once).
            rows = list(self.object_list[: self.per_page])
            if len(rows) < self.per_page:
                self.__dict__.setdefault("count", len(rows))
            return self._get_page(rows, 1, self)
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
