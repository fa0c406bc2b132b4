"""What the browser tests measure in a page, as small JavaScript functions (run through CDP, so CSP allows them)."""

import datetime

from django.utils import timezone

# Visible interactive elements in the page (main content, search, tab bar) smaller than a 44px touch target.
# Exempt, as WCAG 2.5.8 does: a link inline in a sentence (its block holds more text than the link). A radio or
# checkbox is measured by its .form-check row, which is what a thumb hits through the label.
SMALL_TARGETS_JS = """
() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== "hidden" && el.closest("[hidden], details:not([open]) > :not(summary)") === null;
  };
  const inlineInText = (el) => {
    if (el.tagName !== "A") return false;
    const block = el.parentElement.closest("p, dd, li, div, span, td, label");
    if (!block) return false;
    const own = (el.textContent || "").trim().length;
    return (block.textContent || "").trim().length > own + 3 && getComputedStyle(el).display.startsWith("inline") && !el.classList.contains("btn");
  };
  const scope = document.querySelectorAll("#main, .app-tabbar, .app-search");
  const small = [];
  scope.forEach((root) => root.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary").forEach((el) => {
    if (!visible(el) || inlineInText(el)) return;
    let target = el;
    if (el.matches(".btn-check") && el.labels.length) target = el.labels[0];
    else if (el.matches("input[type=radio], input[type=checkbox]")) target = el.closest(".form-check") || el;
    const height = target.getBoundingClientRect().height;
    if (height < 43.5) small.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""} "${(el.textContent || el.value || "").trim().slice(0, 30)}" ${Math.round(height)}px`);
  }));
  return small;
}
"""

WIDEST_JS = """
() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(" ").join(".")} right=${Math.round(el.getBoundingClientRect().right)}`);
}
"""

SAVED_CARDS_JS = """
async () => {
  const names = (await caches.keys()).filter((name) => !name.includes("-shell-"));
  const paths = [];
  for (const name of names) {
    for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
  }
  return paths.sort();
}
"""

QUEUED_VISITS_JS = """
() => new Promise((resolve) => {
  const name = JSON.parse(document.getElementById("offline-config").textContent).queueDatabase;
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore("visits", { keyPath: "client_key" });
  open.onsuccess = () => {
    const request = open.result.transaction("visits").objectStore("visits").getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result.length); };
  };
})
"""


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
