// Drafts kept on the phone and sent when the network returns: the part every offline form shares
// (the inspector's filing, inspections/file.js; the visits and days in the village,
// assistance/field.js). A form keeps its drafts (and photos, as blobs) in IndexedDB, in a database
// named per user (`fupin-<form>-u<user id>`), so one user's draft never shows for another on a shared
// phone; logging out deletes every `fupin-` database (static/js/app.js). Every draft and photo
// carries a UUID made here, so a retry after a lost answer never creates a second row on the server.
(() => {
  "use strict";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // One store of drafts, one of photo blobs (each photo names its draft: `report_uuid`).
  function openStore(name) {
    let dbPromise;
    function db() {
      dbPromise = dbPromise || new Promise((resolve, reject) => {
        const req = indexedDB.open(name, 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore("drafts", { keyPath: "client_uuid" });
          const photos = req.result.createObjectStore("photos", { keyPath: "client_uuid" });
          photos.createIndex("report", "report_uuid");
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      return dbPromise;
    }
    async function tx(store, mode, fn) {
      const d = await db();
      return new Promise((resolve, reject) => {
        const t = d.transaction(store, mode);
        const result = fn(t.objectStore(store));
        t.oncomplete = () => resolve(result && "result" in result ? result.result : result);
        t.onerror = () => reject(t.error);
      });
    }
    return {
      put: (store, value) => tx(store, "readwrite", (s) => s.put(value)),
      del: (store, key) => tx(store, "readwrite", (s) => s.delete(key)),
      getAll: (store) => tx(store, "readonly", (s) => s.getAll()),
    };
  }

  // The server takes a photo's type from its bytes and wants the name's extension to agree: a
  // phone may hand over a PNG screenshot or a picture named without an extension, so the name
  // sent follows the picture's own type.
  const PHOTO_EXTENSIONS = { "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"] };
  function photoName(p) {
    const name = p.name || "photo";
    const exts = PHOTO_EXTENSIONS[p.type || (p.blob && p.blob.type)];
    if (!exts || exts.some((e) => name.toLowerCase().endsWith(e))) return p.name || "photo.jpg";
    return name.replace(/\.[^./]*$/, "") + exts[0];
  }

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // A refused request throws an Error with `status` and the API's `data` (message, errors); a lost
  // connection throws a TypeError (no status): keep the draft and try again later.
  async function postJSON(url, body) {
    const r = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const data = await r.json().catch(() => ({}));
    if (!r.ok) { const e = new Error(data.message || r.statusText); e.status = r.status; e.data = data; throw e; }
    return data;
  }

  function upload(url, fields, fileField, blob, name, bar) {
    return new Promise((resolve, reject) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields || {})) fd.append(k, v);
      fd.append(fileField, blob, name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => { if (bar && e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total); };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else { const e = new Error(xhr.responseText); e.status = xhr.status; reject(e); }
      };
      xhr.onerror = () => reject(new TypeError("network"));
      xhr.send(fd);
    });
  }

  // Network trouble (keep the draft queued) or a refusal (show it to the person)?
  const isNetworkError = (err) => err instanceof TypeError || !err.status || err.status >= 500;

  function errorText(err) {
    const errors = err.data && err.data.errors
      ? Object.entries(err.data.errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ") : "";
    return `${err.message} ${errors}`.trim();
  }

  // Saving a draft shortly after the last change (typing does not write on every key): the returned
  // save() stamps the draft given by getDraft() and writes it to the "drafts" store, then calls
  // onSaved; it resolves once written. save.cancel() drops a save still waiting.
  function debouncedSave(put, getDraft, onSaved, delay) {
    let timer = null;
    function save() {
      clearTimeout(timer);
      return new Promise((resolve) => {
        timer = setTimeout(async () => {
          const draft = getDraft();
          draft.saved_at = new Date().toISOString();
          await put("drafts", draft);
          onSaved();
          resolve();
        }, delay);
      });
    }
    save.cancel = () => clearTimeout(timer); // a save still waiting is dropped (the draft is queued)
    return save;
  }

  function today() {
    const d = new Date();
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  window.FupinDrafts = {
    uuid, openStore, photoName, postJSON, upload, isNetworkError, errorText, today, csrf, debouncedSave,
  };
})();
