"""A document kind used only by the fault-tolerance tests (tests/reliability): registered in the worker when
EMPOWERMENT_TEST_DOCUMENT_KINDS=1 is set, never in production.

Its subject is an organization. `params` steer the render:
  hold: a file path; the render waits while that file exists (at most 120 s), so a test can kill the worker
        in the middle of a render;
  log: a file path; one line is appended each time a render gets past the hold (counts real renders);
  attempts_log: a file path; one line with the time is appended at the start of every attempt;
  fail: "template" raises a template error, "transient" raises OSError (a storage hiccup);
  image: an image URL put in the page (e.g. media:<name> of a damaged file).
"""

import time
from pathlib import Path

from django.template import TemplateSyntaxError

from .registry import DocumentKind, register

KIND = "reliability_test"


def _context(org, params):
    if params.get("attempts_log"):
        with open(params["attempts_log"], "a") as fh:
            fh.write(f"{time.time()}\n")
    hold = params.get("hold")
    deadline = time.monotonic() + 120
    while hold and Path(hold).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    if params.get("fail") == "template":
        raise TemplateSyntaxError("Invalid block tag 'broken' (test document)")
    if params.get("fail") == "transient":
        raise OSError("storage temporarily unavailable (test document)")
    if params.get("log"):
        with open(params["log"], "a") as fh:
            fh.write("rendered\n")
    return {"org": org, "image": params.get("image", "")}


register(
    DocumentKind(
        name=KIND,
        template="empowerment/pdf_test_document.html",
        build_context=_context,
        title=lambda org, params: f"Test document for {org.name}",
        can_request=lambda user, org: user.is_superuser,
        can_view=lambda user, org: user.is_superuser,
        filename=lambda org, params: "test-document",
    )
)
