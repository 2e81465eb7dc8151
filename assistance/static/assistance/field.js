// The field pages on a phone: a visit to a household (走访记录) or a day in the village (驻村),
// written with or without a connection. What is typed is kept as a draft on the phone; "Save"
// queues it, and the queue is sent when the network returns (static/js/drafts.js keeps the
// drafts per user in IndexedDB and gives each a UUID, so a retry never makes a second record).
// The form names its fields with data-field, its endpoints with data-submit-url / data-photo-url.
(() => {
  "use strict";
  const form = document.getElementById("field-form");
  if (!form) return;
  const D = window.FupinDrafts;
  const T = document.getElementById("i18n").dataset;
  const $ = (sel, root = document) => root.querySelector(sel);
  const owner = form.dataset.user || "";
  const { put, del, getAll } = D.openStore(`fupin-${form.dataset.kind}-u${owner}`);
  const fields = [...form.querySelectorAll("[data-field]")].map((el) => el.name);
  const required = [...form.querySelectorAll("[data-field][required]")].map((el) => el.name);
  const photoInput = form.querySelector('input[type="file"]');
  const MAX_PHOTO = 8 * 1024 * 1024;

  let draft = null; // the one being typed
  let photo = null; // its photo {client_uuid, report_uuid, blob, name, type}

  function newDraft() {
    const d = { client_uuid: D.uuid(), owner, state: "editing", saved_at: null };
    for (const f of fields) d[f] = form.elements[f].dataset.default === "today" ? D.today() : (form.elements[f].dataset.default || "");
    return d;
  }

  const save = D.debouncedSave(put, () => draft, () => {
    $("#saved-at").textContent = `${T.saved} ${new Date().toLocaleTimeString()}`;
  }, 100);

  function render() {
    for (const f of fields) form.elements[f].value = draft[f] ?? "";
    $("#photo-name").textContent = photo ? photo.name : "";
  }

  function setNet(message, state) {
    const el = $("#net-status");
    el.className = `net ${navigator.onLine ? "online" : "offline"}`;
    el.textContent = message || (navigator.onLine ? T.online : T.offline);
    el.dataset.state = state || (navigator.onLine ? "online" : "offline");
  }

  // --- the queue of saved drafts ----------------------------------------------------------
  async function queued() {
    const all = (await getAll("drafts")).filter((d) => d.owner === owner && d.state !== "editing");
    return all.sort((a, b) => (a.saved_at || "").localeCompare(b.saved_at || ""));
  }

  async function renderQueue() {
    const list = $("#outbox");
    list.textContent = "";
    for (const d of await queued()) {
      const li = document.createElement("li");
      li.dataset.uuid = d.client_uuid;
      li.dataset.state = d.state;
      const label = form.dataset.kind === "visits" ? (form.elements.household.querySelector(`option[value="${d.household}"]`) || {}).textContent : d.day;
      li.textContent = `${label || ""} · ${d.state === "refused" ? `${T.refused} ${d.error || ""}` : T.waiting}`;
      if (d.state === "refused") {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "linklike";
        b.textContent = T.discard;
        b.addEventListener("click", async () => { await forget(d); renderQueue(); });
        li.appendChild(b);
      }
      list.appendChild(li);
    }
  }

  async function forget(d) {
    for (const p of (await getAll("photos")).filter((p) => p.report_uuid === d.client_uuid)) await del("photos", p.client_uuid);
    await del("drafts", d.client_uuid);
  }

  let sending = false;
  async function send() {
    if (sending) return;
    const waiting = (await queued()).filter((d) => d.state === "queued");
    if (!waiting.length) return;
    if (!navigator.onLine) { setNet(T.queuedMsg, "queued"); return; }
    sending = true;
    setNet(T.sending, "sending");
    let sent = 0;
    try {
      for (const d of waiting) {
        const body = { client_uuid: d.client_uuid };
        for (const f of fields) body[f] = d[f];
        try {
          const row = await D.postJSON(form.dataset.submitUrl, body);
          const photos = (await getAll("photos")).filter((p) => p.report_uuid === d.client_uuid);
          for (const p of photos) {
            await D.upload(form.dataset.photoUrl.replace("{id}", row.id), {}, "photo", p.blob, D.photoName(p));
          }
          await forget(d);
          sent += 1;
        } catch (err) {
          if (D.isNetworkError(err)) throw err;
          d.state = "refused";
          d.error = D.errorText(err);
          await put("drafts", d);
        }
      }
      const left = (await queued()).length;
      setNet(left ? T.someRefused : `${T.sent} (${sent})`, left ? "refused" : "sent");
      if (!left) {
        const a = document.createElement("a");
        a.href = form.dataset.listUrl;
        a.textContent = ` ${T.open}`;
        $("#net-status").appendChild(a);
      }
    } catch (err) {
      setNet(T.queuedMsg, "queued"); // network trouble: the rest stays queued, retried when online
    } finally {
      sending = false;
      renderQueue();
    }
  }

  // --- events -----------------------------------------------------------------------------
  for (const f of fields) {
    const el = form.elements[f];
    const on = () => { draft[f] = el.value; save(); };
    el.addEventListener("input", on);
    el.addEventListener("change", on);
  }
  if (photoInput) {
    photoInput.addEventListener("change", async () => {
      const file = photoInput.files[0];
      photoInput.value = "";
      if (!file) return;
      if (file.size > MAX_PHOTO) { $("#form-error").textContent = T.tooBig; return; }
      if (photo) await del("photos", photo.client_uuid);
      photo = { client_uuid: D.uuid(), report_uuid: draft.client_uuid, blob: file, name: file.name, type: file.type };
      await put("photos", photo);
      render();
    });
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    $("#form-error").textContent = "";
    const missing = required.filter((f) => !String(draft[f] || "").trim());
    if (missing.length) { $("#form-error").textContent = T.needed; form.elements[missing[0]].focus(); return; }
    save.cancel();
    draft.state = "queued";
    draft.saved_at = new Date().toISOString();
    await put("drafts", draft);
    draft = newDraft();
    photo = null;
    render();
    await renderQueue();
    setNet(navigator.onLine ? T.sending : T.queuedMsg, navigator.onLine ? "sending" : "queued");
    send();
  });
  window.addEventListener("online", () => { setNet(); send(); });
  window.addEventListener("offline", async () => ((await queued()).some((d) => d.state === "queued") ? setNet(T.queuedMsg, "queued") : setNet()));
  setInterval(send, 15000);

  (async () => {
    const editing = (await getAll("drafts")).filter((d) => d.owner === owner && d.state === "editing");
    editing.sort((a, b) => (b.saved_at || "").localeCompare(a.saved_at || ""));
    draft = editing[0] || newDraft();
    photo = (await getAll("photos")).find((p) => p.report_uuid === draft.client_uuid) || null;
    render();
    setNet();
    await renderQueue();
    send();
  })();
})();
