// 资格预审: re-evaluate as the worker types. The server renders the decision (one template for
// the page and the live update); this script only fetches it and shows field errors in place.
(function () {
  const form = document.getElementById("precheck");
  if (!form) return;
  const decision = document.getElementById("decision");
  const summary = document.getElementById("id-summary");
  let timer = null;
  let latest = 0;

  function showPolicyFields() {
    const policy = form.elements.policy.value;
    form.querySelectorAll("[data-policies]").forEach(function (el) {
      el.hidden = !el.dataset.policies.split(" ").includes(policy);
    });
  }

  function showErrors(container) {
    form.querySelectorAll(".field .error.live").forEach(function (el) { el.remove(); });
    container.querySelectorAll("[data-errors] [data-field]").forEach(function (item) {
      const input = form.elements[item.dataset.field];
      const field = input && (input.closest ? input.closest(".field") : null);
      if (!field) return;
      const div = document.createElement("div");
      div.className = "error live";
      div.setAttribute("role", "alert");
      div.textContent = item.textContent;
      field.appendChild(div);
    });
  }

  async function refresh() {
    const ticket = ++latest;
    const response = await fetch(form.dataset.precheckUrl || form.action, {
      method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
    });
    if (ticket !== latest || !response.ok) return;  // a newer answer is on its way, or the session ended
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const fresh = holder.querySelector("[data-id-summary]");
    summary.innerHTML = fresh ? fresh.innerHTML : "";
    showErrors(holder);
    holder.querySelectorAll("[data-id-summary], [data-errors]").forEach(function (el) { el.remove(); });
    decision.innerHTML = holder.innerHTML;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  form.elements.policy.addEventListener("change", showPolicyFields);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  showPolicyFields();
})();
