// Behaviour the templates ask for by data attributes: no inline scripts (Content-Security-Policy).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-submit-on-change]")) el.form.submit();
  if (el.matches("[data-check-all]")) {
    document.querySelectorAll(`input[name="${el.dataset.checkAll}"]`).forEach((box) => { box.checked = el.checked; });
  }
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
