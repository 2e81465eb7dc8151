// Small progressive enhancements; every page works without them.
document.addEventListener("change", (e) => {
  if (e.target.matches("[data-autosubmit]")) e.target.form.submit();
});
document.addEventListener("click", (e) => {
  const t = e.target.closest("[data-toggle-nav]");
  if (!t) return;
  const nav = document.getElementById("mainnav");
  const open = nav.classList.toggle("open");
  t.setAttribute("aria-expanded", String(open));
});

// Log-out leaves nothing of this user in the browser: the service worker's caches (the
// inspector's cached filing page and plans), its registration, the drafts in IndexedDB and
// local storage are removed before the log-out form is sent. The server also answers the
// log-out with Clear-Site-Data (core.accounts.LogoutView); this covers browsers that ignore it.
(() => {
  const DRAFT_DATABASES = /^fupin-/;
  const settle = (promise, ms) => Promise.race([promise.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);

  async function tellServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    const registrations = await navigator.serviceWorker.getRegistrations();
    for (const reg of registrations) {
      const worker = reg.active || reg.waiting || reg.installing;
      if (worker) {
        await settle(new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = resolve;
          worker.postMessage({ type: "logout" }, [channel.port2]);
        }), 1000);
      }
      await reg.unregister();
    }
  }

  async function dropCaches() {
    if (!("caches" in window)) return;
    const keys = await caches.keys();
    await Promise.all(keys.map((k) => caches.delete(k)));
  }

  function deleteDatabase(name) {
    return new Promise((resolve) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }

  async function dropDrafts(userId) {
    if (!("indexedDB" in window)) return;
    const names = new Set(["fupin-inspections", `fupin-inspections-u${userId}`]);
    if (indexedDB.databases) {
      for (const db of await indexedDB.databases()) if (db.name && DRAFT_DATABASES.test(db.name)) names.add(db.name);
    }
    await Promise.all([...names].map(deleteDatabase));
  }

  // Drafts not yet sent: logging out deletes them, so the user is asked first.
  async function unsentDrafts(userId) {
    if (!("indexedDB" in window) || !indexedDB.databases) return 0;
    // Every offline form's database of this user (static/js/drafts.js): fupin-<form>-u<id>.
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n && n.startsWith("fupin-") && n.endsWith(`-u${userId}`));
    const counts = await Promise.all(names.map(unsentIn));
    return counts.reduce((a, b) => a + b, 0);
  }

  function unsentIn(name) {
    return new Promise((resolve) => {
      const req = indexedDB.open(name);
      req.onerror = () => resolve(0);
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains("drafts")) { db.close(); resolve(0); return; }
        const all = db.transaction("drafts", "readonly").objectStore("drafts").getAll();
        all.onsuccess = () => { db.close(); resolve(all.result.filter((d) => d.state !== "sent").length); };
        all.onerror = () => { db.close(); resolve(0); };
      };
    });
  }

  async function clearSiteData(userId) {
    await settle(tellServiceWorker(), 2000);
    await settle(dropCaches(), 2000);
    await settle(dropDrafts(userId), 2000);
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* storage disabled */ }
  }

  document.addEventListener("submit", (e) => {
    const form = e.target.closest("form[data-logout]");
    if (!form || form.dataset.cleared) return;
    e.preventDefault();
    const userId = form.dataset.user || "";
    settle(unsentDrafts(userId), 1000).then((unsent) => {
      if (unsent && !window.confirm(form.dataset.unsent)) return;
      clearSiteData(userId).finally(() => {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  });
})();

// A form sent back with errors (issue 21): a summary at its top lists each error, naming the field and
// linking to it, and the first field in error takes the focus, so a clerk typing all day does not
// hunt down the page for the red line. Fields are found by the page's own markup: `.has-error` around
// a field, or a `p.error` beside it; the form's non-field errors stay where the template puts them.
(() => {
  const title = document.body.dataset.errorSummaryTitle || "";
  const fieldOf = (error) => {
    const box = error.closest(".field, .has-error, td, li, div") || error.parentElement;
    return box && box.querySelector("input:not([type=hidden]), select, textarea");
  };
  const labelOf = (field) => {
    const label = (field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`)) || field.closest("label");
    if (!label) return field.getAttribute("aria-label") || field.name || "";
    const copy = label.cloneNode(true);
    copy.querySelectorAll(".req, input, select, textarea").forEach((n) => n.remove());
    return copy.textContent.trim();
  };
  document.querySelectorAll("form").forEach((form) => {
    const errors = [...form.querySelectorAll("p.error")];
    if (!errors.length || form.querySelector(".error-summary")) return;
    const summary = document.createElement("div");
    summary.className = "error-summary errorlist";
    summary.setAttribute("role", "alert");
    const heading = document.createElement("p");
    heading.className = "error-summary-title";
    heading.textContent = title.replace("{n}", String(errors.length));
    const list = document.createElement("ul");
    let first = null;
    errors.forEach((error, i) => {
      const field = fieldOf(error);
      if (field && !field.id) field.id = `${form.id || "f"}-err-${i}`;
      first = first || field;
      const item = document.createElement("li");
      const link = document.createElement(field ? "a" : "span");
      const label = field ? labelOf(field) : "";
      link.textContent = label ? `${label}：${error.textContent.trim()}` : error.textContent.trim();
      if (field) {
        link.href = `#${field.id}`;
        link.addEventListener("click", (e) => { e.preventDefault(); field.focus(); });
      }
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.append(heading, list);
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    form.insertBefore(summary, csrf ? csrf.nextSibling : form.firstChild);
    if (first && !document.querySelector(".error-summary.focused")) {
      summary.classList.add("focused");
      first.focus();
    }
  });
})();

// A list keeps its filters (issue 21): a list page's query is remembered for this tab, and the menu's
// or a tab's link to that list brings it back, so a clerk who filtered the ledger, opened an item and
// went elsewhere finds the ledger as left. Log-out clears it with the rest of the tab's storage.
(() => {
  const KEY = "fupin:list-query:";
  try {
    if (document.querySelector("form.filters")) {
      sessionStorage.setItem(KEY + location.pathname, location.search);
    }
  } catch (e) { return; /* storage disabled */ }
  document.addEventListener("click", (e) => {
    const link = e.target.closest("#mainnav a, .subnav a");
    if (!link) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.search) return;
    let saved = null;
    try { saved = sessionStorage.getItem(KEY + url.pathname); } catch (err) { return; }
    if (saved) link.href = url.pathname + saved;
  });
})();
