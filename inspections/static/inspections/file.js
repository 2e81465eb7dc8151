// Filing a visit report on a phone, with or without a connection.
// The draft (photos included, as blobs) lives in IndexedDB, per user, and is sent when the
// connection returns: the store, the UUIDs, the photo names and the requests are the shared
// drafts module's (static/js/drafts.js); this file is the report's form.
(() => {
  "use strict";
  const form = document.getElementById("filing");
  if (!form) return;
  const T = document.getElementById("i18n").dataset;
  const $ = (sel, root = document) => root.querySelector(sel);
  const D = window.FupinDrafts;
  const uuid = D.uuid;
  const MAX_PHOTO = 8 * 1024 * 1024;

  // --- IndexedDB: one store of drafts, one of photo blobs, per user -----------------------
  const owner = form.dataset.user || "";
  const { put, del, getAll } = D.openStore(`fupin-inspections-u${owner}`);

  // --- the draft --------------------------------------------------------------------------
  let draft = null;
  let photos = []; // {client_uuid, finding_uuid, report_uuid, blob, name, type, uploaded}

  const photoName = D.photoName;
  const fields = ["plan", "county", "village", "visit_date", "place", "households_visited_count", "summary"];

  function newDraft() {
    return {
      client_uuid: uuid(), owner, state: "editing", plan: form.dataset.plan || "", county: "", village: "",
      visit_date: D.today(), place: "", households_visited_count: 0, summary: "", findings: [], server: null,
      saved_at: null,
    };
  }

  async function load() {
    const drafts = (await getAll("drafts")).filter((d) => d.state !== "sent" && d.owner === owner);
    drafts.sort((a, b) => (b.saved_at || "").localeCompare(a.saved_at || ""));
    draft = drafts[0] || newDraft();
    photos = (await getAll("photos")).filter((p) => p.report_uuid === draft.client_uuid);
    if (!draft.findings.length) draft.findings.push(newFinding());
    render();
    if (draft.state === "queued") send();
  }

  function newFinding() {
    return { client_uuid: uuid(), category: "", severity: "minor", description: "", responsible_unit: "" };
  }

  const save = D.debouncedSave(put, () => draft, () => {
    $("#saved-at").textContent = `${T.saved} ${new Date().toLocaleTimeString()}`;
  }, 150);

  // --- rendering --------------------------------------------------------------------------
  function render() {
    for (const f of fields) if (form.elements[f]) form.elements[f].value = draft[f] ?? "";
    if (draft.plan && !draft.county) {
      const opt = form.elements.plan.selectedOptions[0];
      if (opt && opt.dataset.county) draft.county = form.elements.county.value = opt.dataset.county;
    }
    const box = $("#findings");
    box.textContent = "";
    draft.findings.forEach((f, i) => box.appendChild(renderFinding(f, i)));
    setNet();
  }

  // The responsible unit is one of the county's (its townships' and villages' included) or of the
  // city and province above it (core.regions.in_line): the list of ~300 units keeps those only.
  const significant = (code) => {
    if (code.slice(9) !== "000") return code;
    if (code.slice(6, 9) !== "000") return code.slice(0, 9);
    if (code.slice(4, 6) !== "00") return code.slice(0, 6);
    if (code.slice(2, 4) !== "00") return code.slice(0, 4);
    return code.slice(0, 2);
  };
  const inLine = (code, county) => {
    const mine = significant(code), theirs = significant(county);
    return mine.startsWith(theirs) || theirs.startsWith(mine);
  };
  function keepCountyUnits(select, f) {
    if (!draft.county) return;
    for (const opt of [...select.options]) if (opt.value && !inLine(opt.dataset.region || "", draft.county)) opt.remove();
    if (f.responsible_unit && !select.querySelector(`option[value="${f.responsible_unit}"]`)) f.responsible_unit = "";
  }

  function renderFinding(f, i) {
    const node = $("#finding-tpl").content.firstElementChild.cloneNode(true);
    node.dataset.uuid = f.client_uuid;
    $(".n", node).textContent = i + 1;
    keepCountyUnits(node.querySelector('select[name="responsible_unit"]'), f);
    for (const name of ["category", "severity", "description", "responsible_unit"]) {
      const el = node.querySelector(`[name="${name}"]`);
      el.value = f[name] || "";
      el.id = `f${i}-${name}`;
      el.addEventListener("input", () => { f[name] = el.value; save(); });
      el.addEventListener("change", () => { f[name] = el.value; save(); });
    }
    const input = node.querySelector('input[type="file"]');
    input.id = `f${i}-photo`;
    input.addEventListener("change", async () => {
      for (const file of input.files) {
        if (file.size > MAX_PHOTO) { $("#form-error").textContent = T.tooBig; continue; }
        const p = { client_uuid: uuid(), finding_uuid: f.client_uuid, report_uuid: draft.client_uuid,
                    blob: file, name: file.name, type: file.type, uploaded: false };
        photos.push(p);
        await put("photos", p);
      }
      input.value = "";
      renderPhotos(node, f);
      save();
    });
    node.querySelector(".remove").addEventListener("click", async () => {
      draft.findings = draft.findings.filter((x) => x !== f);
      for (const p of photos.filter((p) => p.finding_uuid === f.client_uuid)) await del("photos", p.client_uuid);
      photos = photos.filter((p) => p.finding_uuid !== f.client_uuid);
      if (!draft.findings.length) draft.findings.push(newFinding());
      await save();
      render();
    });
    renderPhotos(node, f);
    return node;
  }

  function renderPhotos(node, f) {
    const ul = node.querySelector(".photos");
    ul.textContent = "";
    for (const p of photos.filter((p) => p.finding_uuid === f.client_uuid)) {
      const li = document.createElement("li");
      li.dataset.uuid = p.client_uuid;
      const img = document.createElement("img");
      img.src = URL.createObjectURL(p.blob);
      img.alt = p.name;
      img.width = 72;
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = p.uploaded ? 100 : 0;
      bar.setAttribute("aria-label", p.name);
      li.append(img, bar);
      ul.appendChild(li);
    }
  }

  function setNet(message, state) {
    const el = $("#net-status");
    el.className = `net ${navigator.onLine ? "online" : "offline"}`;
    el.textContent = message || (navigator.onLine ? T.online : T.offline);
    el.dataset.state = state || (navigator.onLine ? "online" : "offline");
  }

  // --- sending ----------------------------------------------------------------------------
  const api = D.postJSON;
  const upload = (url, p, bar) => D.upload(url, { client_uuid: p.client_uuid }, "photo", p.blob, photoName(p), bar);

  let sending = false;
  async function send() {
    if (sending || !draft || draft.state !== "queued") return;
    if (!navigator.onLine) { setNet(T.queued, "queued"); return; }
    sending = true;
    setNet(T.sending, "sending");
    try {
      const findings = draft.findings.map((f) => ({
        client_uuid: f.client_uuid, category: f.category, severity: f.severity || "minor",
        description: f.description, responsible_unit: f.responsible_unit ? Number(f.responsible_unit) : null,
      }));
      const body = { client_uuid: draft.client_uuid, file: false, findings };
      for (const f of fields) body[f] = draft[f];
      body.plan = draft.plan || null;
      body.households_visited_count = Number(draft.households_visited_count) || 0;
      const report = await api(form.dataset.submitUrl, body);
      draft.server = { id: report.id, findings: Object.fromEntries(report.findings.map((f) => [f.client_uuid, f.id])) };
      await save();
      for (const p of photos.filter((p) => !p.uploaded)) {
        const findingId = draft.server.findings[p.finding_uuid];
        if (!findingId) continue;
        const bar = document.querySelector(`li[data-uuid="${p.client_uuid}"] progress`);
        await upload(form.dataset.photoUrl.replace("{id}", findingId), p, bar);
        p.uploaded = true;
        await put("photos", p);
      }
      await api(form.dataset.fileUrl.replace("{id}", report.id), {});
      draft.state = "sent";
      await save();
      for (const p of photos) await del("photos", p.client_uuid);
      await del("drafts", draft.client_uuid);
      // Sent (at once or when the connection returned): an empty form for the next visit, and the
      // confirmation with its link at the top, brought into view.
      photos = [];
      draft = newDraft();
      draft.findings.push(newFinding());
      render();
      const link = document.createElement("a");
      link.href = form.dataset.reportUrl.replace("{id}", report.id);
      link.textContent = T.open;
      const status = $("#net-status");
      setNet(`${T.filed} `, "filed");
      status.appendChild(link);
      status.classList.add("done");
      status.scrollIntoView({ block: "center" });
    } catch (err) {
      if (D.isNetworkError(err)) {
        setNet(T.queued, "queued"); // network trouble: keep the draft queued, retry when online
      } else {
        draft.state = "editing";
        await save();
        const errors = err.data && err.data.errors ? Object.entries(err.data.errors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ") : "";
        $("#form-error").textContent = `${T.error} ${err.message} ${errors}`;
        setNet();
      }
    } finally {
      sending = false;
    }
  }

  // --- events -----------------------------------------------------------------------------
  for (const f of fields) {
    const el = form.elements[f];
    if (!el) continue;
    const on = () => {
      const county = draft.county;
      draft[f] = el.value;
      if (f === "plan" && el.selectedOptions[0] && el.selectedOptions[0].dataset.county) {
        draft.county = form.elements.county.value = el.selectedOptions[0].dataset.county;
      }
      save();
      if (draft.county !== county) render(); // the findings' units follow the county
    };
    el.addEventListener("input", on);
    el.addEventListener("change", on);
  }
  $("#add-finding").addEventListener("click", async () => {
    draft.findings.push(newFinding());
    await save();
    render();
    const last = document.querySelectorAll("#findings .finding select[name=category]");
    last[last.length - 1].focus();
  });
  $("#discard").addEventListener("click", async () => {
    if (!window.confirm(T.discard)) return;
    for (const p of photos) await del("photos", p.client_uuid);
    await del("drafts", draft.client_uuid);
    photos = [];
    draft = newDraft();
    draft.findings.push(newFinding());
    render();
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    $("#form-error").textContent = "";
    if (!draft.county || !draft.visit_date || !draft.place.trim()) { $("#form-error").textContent = T.needVisit; return; }
    draft.findings = draft.findings.filter((f) => f.category || f.description.trim() || photos.some((p) => p.finding_uuid === f.client_uuid));
    if (draft.findings.some((f) => !f.category || !f.description.trim())) { $("#form-error").textContent = T.needFinding; render(); return; }
    draft.state = "queued";
    await save();
    render();
    send();
  });
  window.addEventListener("online", () => { setNet(); send(); });
  window.addEventListener("offline", () => (draft && draft.state === "queued" ? setNet(T.queued, "queued") : setNet()));
  setInterval(send, 15000);

  if ("serviceWorker" in navigator && form.dataset.swUrl) {
    navigator.serviceWorker.register(form.dataset.swUrl, { scope: "/inspections/" }).catch(() => {});
  }
  load();
})();
