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
