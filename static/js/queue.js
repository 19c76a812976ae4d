// The queue's bulk form: "select all" on the page, the count of what is selected, and no submit
// before something is selected (the server checks again and asks to confirm on the next page).
(function () {
  const form = document.querySelector("form[data-bulk]");
  const note = form && form.querySelector("[data-selected-note]");
  if (!note) return; // no bulk action here, or no row to act on
  const boxes = () => Array.from(form.querySelectorAll("input[name=ids]"));
  const all = form.querySelector("[data-select-all]");
  const submit = form.querySelector("[data-bulk-submit]");
  const idle = note.textContent;
  function update() {
    const n = boxes().filter((b) => b.checked).length;
    submit.disabled = n === 0;
    note.textContent = n === 0 ? idle : "已选 " + n + " 件。下一步核对后确认，逐件办理。";
    if (all) all.checked = n > 0 && n === boxes().length;
  }
  if (all) all.addEventListener("change", () => { boxes().forEach((b) => { b.checked = all.checked; }); update(); });
  form.addEventListener("change", update);
  update();
})();
