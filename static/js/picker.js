// Look-up pickers (core/pickers.py): suggestions as you type, chosen with a click or Enter.
// Without this script the search text is resolved on the server when the form is sent.
(() => {
  const render = (list, rows) => {
    list.replaceChildren(...rows.map((row) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.id = row.id; b.dataset.label = row.label; b.dataset.detail = row.detail;
      b.textContent = row.label + " ";
      const small = document.createElement("small");
      small.textContent = row.detail;
      b.append(small);
      li.append(b);
      return li;
    }));
    list.hidden = rows.length === 0;
  };
  document.querySelectorAll("[data-picker]").forEach((box) => {
    const q = box.querySelector("[data-picker-q]");
    const id = box.querySelector("[data-picker-id]");
    const list = box.querySelector("[data-picker-list]");
    const detail = box.querySelector("[data-picker-detail]");
    // Narrowed by other fields of the form (data-picker-filter: {"county": "county"}, query
    // parameter → field name) and by values the page fixes (data-picker-params).
    const form = box.closest("form");
    const byField = JSON.parse(box.dataset.pickerFilter || "{}");
    const fixed = JSON.parse(box.dataset.pickerParams || "{}");
    const url = (text) => {
      const params = new URLSearchParams({ ...fixed, q: text });
      for (const [param, name] of Object.entries(byField)) {
        const value = form?.elements[name]?.value;
        if (value) params.set(param, value);
      }
      return `${box.dataset.picker}?${params}`;
    };
    let timer = null, asked = "";
    q.addEventListener("input", () => {
      id.value = ""; detail.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = q.value.trim();
        const address = url(text);
        if (!text || address === asked) return;
        asked = address;
        const response = await fetch(address, { headers: { Accept: "application/json" } });
        if (!response.ok || q.value.trim() !== text) return;
        render(list, (await response.json()).results);
        q.setAttribute("aria-expanded", String(!list.hidden));
      }, 250);
    });
    // Another county chosen: the suggestions shown were for the old one.
    for (const name of Object.values(byField)) {
      form?.elements[name]?.addEventListener("change", () => {
        asked = ""; list.hidden = true; q.setAttribute("aria-expanded", "false");
      });
    }
    list.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-id]");
      if (!b) return;
      id.value = b.dataset.id; q.value = b.dataset.label; detail.textContent = b.dataset.detail;
      list.hidden = true; q.setAttribute("aria-expanded", "false"); q.focus();
    });
    q.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" && !list.hidden) { e.preventDefault(); list.querySelector("button")?.focus(); }
    });
    list.addEventListener("keydown", (e) => {
      const items = [...list.querySelectorAll("button")];
      const i = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown") { e.preventDefault(); items[Math.min(i + 1, items.length - 1)]?.focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? items[i - 1] : q).focus(); }
      if (e.key === "Escape") { list.hidden = true; q.focus(); }
    });
  });
})();
