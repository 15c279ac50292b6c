"""The offline portal in Chromium on a phone: installable; a progress update written without a connection,
with a photo made smaller and stripped of its metadata, kept across a reload, sent once when the
connection returns even though the answer to the first send was lost; a refused draft shows the server's
message at its field; sign-out warns; another account on the same browser sees no drafts of the first."""

from datetime import date

import pytest

from empowerment.models import SubmissionKey
from projects.models import ProgressUpdate, UpdatePhoto
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD
from tests.factories.projects import IndicatorFactory, ProjectFactory, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFTS = "(user) => PWAStore.list(user).then(ds => ds.map(d => ({status: d.status, files: d.files.length})))"


def _wait_until(page, script, arg=None):
    """Wait until an async page function answers true (page.evaluate awaits its promise)."""
    for _ in range(200):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


USER_CACHE_HAS = """async (path) => {
  for (const name of await caches.keys()) {
    if (name.includes('-user-') && await (await caches.open(name)).match(path)) return true;
  }
  return false;
}"""


def _wait_cached(page, path):
    _wait_until(page, USER_CACHE_HAS, path)


def _wait_drafts(page, user, check) -> list:
    """Wait until the person's drafts (status and number of files each) satisfy `check`."""
    for _ in range(200):
        drafts = page.evaluate(DRAFTS, str(user))
        if check(drafts):
            return drafts
        page.wait_for_timeout(100)
    raise AssertionError(f"drafts never satisfied the check: {drafts}")


def _fill_update(page, indicator, *, start="2025-01-01", end="2025-01-31"):
    page.fill("#id_period_start", start)
    page.fill("#id_period_end", end)
    page.fill("#id_narrative", "Checked 30 residents at the community centre.")
    page.fill(f"#id_indicator_{indicator.pk}", "30")


def test_an_update_written_offline_is_kept_then_sent_once(browser, live_server, org_a, people, tmp_path):
    project = ProjectFactory(
        organization=org_a, status="active", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31)
    )
    indicator = IndicatorFactory(project=project, value_type="count", name="Residents checked")
    editor, admin = people["a_editor"], people["a_admin"]
    form_path = f"/o/{org_a.slug}/projects/{project.pk}/updates/new/"
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(jpeg_bytes(gps=True, size=(2400, 1800)))

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    # As a browser without Background Sync (Firefox, Safari): the page sends the drafts itself when the
    # connection returns, so the test controls every send (Chromium's sync would send from the worker).
    context.add_init_script(
        "if (self.ServiceWorkerRegistration) Object.defineProperty("
        "ServiceWorkerRegistration.prototype, 'sync', {get: () => undefined});"
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    page.base = live_server.url
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, editor.email, PASSWORD)

    # Installable: a manifest with icons, a worker controlling the page.
    page.goto(f"{page.base}/offline/drafts/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone" and len(manifest["icons"]) == 3
    # The field kit names the project's form; the worker keeps it and the form ahead of use.
    page.goto(f"{page.base}/o/{org_a.slug}/")
    _wait_cached(page, "/offline/kit.json")
    _wait_cached(page, form_path)
    _wait_cached(page, "/offline/drafts/")

    # Without a connection: the form opens from the worker's cache and says how fresh it is.
    context.set_offline(True)
    page.goto(f"{page.base}{form_path}")
    page.wait_for_selector("text=You are offline")
    _fill_update(page, indicator)
    page.set_input_files("#id_photo", str(photo))
    page.click("button[name=save]")
    page.wait_for_selector("text=No connection: the form was saved on this device")
    drafts = page.evaluate(DRAFTS, str(editor.pk))
    assert drafts == [{"status": "waiting", "files": 1}]
    # The photo was redrawn: at most 1600 px, no EXIF block left.
    size, has_exif = page.evaluate(
        """(user) => PWAStore.list(user).then(async ds => {
             const blob = ds[0].files[0][1];
             const bitmap = await createImageBitmap(blob);
             const text = new TextDecoder('latin1').decode(await blob.arrayBuffer());
             return [[bitmap.width, bitmap.height], text.includes('Exif') || text.includes('PhoneCam')];
           })""",
        str(editor.pk),
    )
    assert size == [1600, 1200] and not has_exif
    # Still there after a reload without a connection, in the list and the badge.
    page.goto(f"{page.base}/offline/drafts/")
    page.wait_for_selector("[data-draft] >> text=Log progress")
    assert "1 waiting" in page.inner_text("[data-drafts-badge]")
    assert ProgressUpdate.objects.count() == 0

    # The connection returns: the page sends the draft by itself, once, photo included.
    context.set_offline(False)
    _wait_drafts(page, editor.pk, lambda ds: ds == [])
    update = ProgressUpdate.objects.get()
    assert update.project == project and update.narrative.startswith("Checked 30 residents")
    assert UpdatePhoto.objects.filter(update=update).count() == 1
    assert page.is_hidden("[data-drafts-badge]")

    # Another draft; this time the answer to its first send is lost after the server got and saved it.
    context.set_offline(True)
    page.goto(f"{page.base}{form_path}")
    _fill_update(page, indicator, start="2025-02-01", end="2025-02-28")
    page.click("button[name=save]")
    page.wait_for_selector("text=No connection: the form was saved on this device")
    posts = []

    def lose_first_answer(route):
        posts.append(
            (route.request.headers.get("idempotency-key"), len(route.request.post_data_buffer or b""))
        )
        if len(posts) == 1:
            route.fetch()  # the server receives and saves it
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"**{form_path}", lose_first_answer)
    context.set_offline(False)
    for _ in range(150):
        if posts:
            break
        page.wait_for_timeout(100)
    _wait_drafts(page, editor.pk, lambda ds: ds == [{"status": "waiting", "files": 0}])
    assert len(posts) == 1 and posts[0][1] > 0 and ProgressUpdate.objects.count() == 2
    page.goto(f"{page.base}/offline/drafts/")
    page.click("[data-drafts-send]")
    _wait_drafts(page, editor.pk, lambda ds: ds == [])
    assert len(posts) == 2 and posts[0][0] == posts[1][0]  # both sends carried the draft's one key
    assert ProgressUpdate.objects.count() == 2 and SubmissionKey.objects.count() == 2
    page.unroute(f"**{form_path}")

    # A draft the server refuses comes back with the message at its field.
    context.set_offline(True)
    page.goto(f"{page.base}{form_path}")
    _fill_update(page, indicator, end="2026-03-31")
    page.click("button[name=save]")
    page.wait_for_selector("text=No connection: the form was saved on this device")
    page.goto(f"{page.base}/offline/drafts/")
    context.set_offline(False)
    page.click("[data-drafts-send]")
    page.wait_for_selector("[data-draft-status=failed]")
    assert "1 refused" in page.inner_text("[data-drafts-badge]")
    page.goto(page.base + page.get_attribute("[data-draft] a", "href"))  # its "Open" link
    page.wait_for_selector("[data-pwa-error=period_end]")
    assert "The period ends after the project" in page.inner_text("[data-pwa-error=period_end]")
    assert page.input_value("#id_period_end") == "2026-03-31"
    assert ProgressUpdate.objects.count() == 2

    # Signing out warns that a draft waits; the worker forgets the person's pages.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.goto(f"{page.base}/o/{org_a.slug}/")
    # The user menu's "Sign out" (submitted as its button does, without the folding menu's animation).
    page.evaluate("document.querySelector(\"form[action$='/accounts/logout/']\").requestSubmit()")
    page.wait_for_url(f"{page.base}/")
    assert dialogs and "1 draft" in dialogs[0]
    _wait_until(
        page, "async (id) => !(await caches.keys()).some(n => n.endsWith('-user-' + id))", str(editor.pk)
    )

    # Another account on the same browser sees none of the first one's drafts.
    login(page, admin.email, PASSWORD)
    page.goto(f"{page.base}/o/{org_a.slug}/")
    page.wait_for_load_state("networkidle")
    assert page.is_hidden("[data-drafts-badge]") and page.is_hidden("[data-drafts-list]")
    assert page.evaluate(DRAFTS, str(admin.pk)) == []
    # The first person's refused draft is still on the device, kept for them alone.
    assert page.evaluate(DRAFTS, str(editor.pk)) == [{"status": "failed", "files": 0}]
    assert not violations  # the worker, the manifest and the drafts live within the site's CSP
    context.close()
