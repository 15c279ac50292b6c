"""The ledger's published checkpoints: the chain head and every fund's balance at each month close and
each day, with how to prove the books against a copy kept from publication."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from empowerment.pagecache import public_page
from fundraising.checkpoints import balances_text, published_line
from fundraising.selectors import checkpoints as checkpoint_selectors

PAGE_SIZE = 50


@public_page
@require_GET
def checkpoint_list(request):
    paginator = Paginator(checkpoint_selectors.published_checkpoints(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "checkpoint": c,
            "line": published_line(c),
            "balances": sorted(c.balances.items()),
            "balances_text": balances_text(c.balances),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "transparency/checkpoints.html",
        {
            "page": page,
            "rows": rows,
            "filters": {},
            "verification": checkpoint_selectors.last_verification(),
        },
    )
