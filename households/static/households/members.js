// Inline members: "Add a member" appends a blank row from the formset's empty form.
document.addEventListener("click", (e) => {
  if (!e.target.matches("#add-member")) return;
  const total = document.getElementById("id_members-TOTAL_FORMS");
  const index = Number(total.value);
  const html = document.getElementById("member-template").innerHTML.replace(/__prefix__/g, String(index));
  const body = document.querySelector("#members tbody");
  body.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const row = body.lastElementChild;
  row.querySelector("td").prepend(String(index + 1));
  row.querySelector("input[type=text]").focus();
});
// Progress of an import: poll the status as JSON and move the bar.
(() => {
  const bar = document.querySelector("[data-import-progress]");
  if (!bar) return;
  const url = bar.dataset.importProgress;
  const tick = async () => {
    const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!r.ok) return;
    const s = await r.json();
    bar.querySelector("progress").value = s.percent;
    bar.querySelector("[data-percent]").textContent = s.percent + "%";
    bar.querySelector("[data-message]").textContent = s.message || s.status_label;
    if (s.finished) { window.location.reload(); return; }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
