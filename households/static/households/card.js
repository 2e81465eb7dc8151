// The household card's "Print" button (the page holds no inline script: CSP).
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
