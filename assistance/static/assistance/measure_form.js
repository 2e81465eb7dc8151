// The quick-add form shows the facts of the chosen kind only (因人施策): the member employed for
// employment, the loan for microcredit, the site and move-in date for relocation. Without
// JavaScript every field stays visible; the service ignores none and checks all.
(function () {
  "use strict";
  function sync(form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) return;
    form.querySelectorAll("[data-for-kind]").forEach(function (el) {
      var show = el.getAttribute("data-for-kind") === kind.value;
      el.hidden = !show && !el.classList.contains("has-error");
    });
  }
  document.querySelectorAll("form[data-measure-form]").forEach(function (form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) return;
    kind.addEventListener("change", function () { sync(form); });
    sync(form);
  });
})();
