// 资格预审: re-evaluate as the worker types. The server renders the decision (one template for
// the page and the live update); this script only fetches it and shows field errors in place.
(function () {
  // 自助预审: choosing a county or a community reloads the page for that place (a button without script).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      const unit = select.form.elements.unit;
      if (select.dataset.autosubmit === "county" && unit) unit.value = "";
      select.form.submit();
    });
  });
  const form = document.getElementById("precheck");
  if (!form) return;
  const decision = document.getElementById("decision");
  const summary = document.getElementById("id-summary");
  let timer = null;
  let latest = 0;

  // GB 11643-1999: the 17th character is the order code, even for a woman.
  function typedWoman() {
    const number = (form.elements.id_number.value || "").replace(/\s/g, "");
    return number.length >= 17 && /^\d$/.test(number[16]) && Number(number[16]) % 2 === 0;
  }

  // A fact shows when the chosen policy reads it and, for a woman's original retirement age
  // (50 or 55, DESIGN.md §3), only once the ID number typed is a woman's.
  function showFields() {
    const policy = form.elements.policy.value;
    const woman = typedWoman();
    form.querySelectorAll("[data-policies], [data-female-only]").forEach(function (el) {
      const read = !el.dataset.policies || el.dataset.policies.split(" ").includes(policy);
      el.hidden = !read || (el.hasAttribute("data-female-only") && !woman);
    });
  }

  function showErrors(container) {
    form.querySelectorAll(".field .error.live").forEach(function (el) { el.remove(); });
    container.querySelectorAll("[data-errors] [data-field]").forEach(function (item) {
      const input = form.elements[item.dataset.field];
      const field = input && (input.closest ? input.closest(".field") : null);
      if (!field) return;
      // the page drawn after a submit already shows the server's errors: the same one is not shown twice
      const shown = Array.from(field.querySelectorAll(".error")).some(function (el) { return el.textContent === item.textContent; });
      if (shown) return;
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
    if (ticket === latest && response.status === 429) {  // 自助预审 is rate-limited: say so in place
      decision.innerHTML = await response.text();
      return;
    }
    if (ticket !== latest || !response.ok) return;  // a newer answer is on its way, or the session ended
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const fresh = holder.querySelector("[data-id-summary]");
    summary.innerHTML = fresh ? fresh.innerHTML : "";
    showErrors(holder);
    holder.querySelectorAll("[data-id-summary], [data-errors]").forEach(function (el) { el.remove(); });
    decision.innerHTML = holder.innerHTML;
    showVerdictBesideSubmit();
  }

  // On a phone the decision sits below a long form: its verdict is repeated by the submit button.
  const mini = document.getElementById("verdict-mini");
  function showVerdictBesideSubmit() {
    if (!mini) return;
    const verdict = decision.querySelector(".verdict");
    mini.className = "verdict-mini" + (verdict ? (verdict.classList.contains("ok") ? " ok" : " no") : "");
    const link = mini.querySelector("a");
    if (link) link.textContent = verdict ? verdict.textContent.trim() + "（查看依据）" : "查看资格预审结果";
  }

  // 录入: an open application or an active recognition shows as soon as the ID number is complete.
  const duplicate = document.getElementById("duplicate");
  let checked = "";
  async function checkDuplicate() {
    const number = (form.elements.id_number.value || "").replace(/\s/g, "").toUpperCase();
    if (!duplicate || !form.dataset.checkUrl || number.length !== 18 || number === checked) return;
    checked = number;
    const body = new FormData();
    body.append("id_number", number);
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    const response = await fetch(form.dataset.checkUrl, { method: "POST", body: body, credentials: "same-origin" });
    if (!response.ok) { duplicate.hidden = true; return; }
    const answer = await response.json();
    duplicate.hidden = !answer.message;
    duplicate.textContent = answer.message || "";
    if (answer.url) {
      const a = document.createElement("a");
      a.href = answer.url;
      a.textContent = "查看该申请";
      duplicate.append(" ", a);
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  form.elements.policy.addEventListener("change", showFields);
  form.elements.id_number.addEventListener("input", showFields);
  form.elements.id_number.addEventListener("input", checkDuplicate);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  showFields();
  if (form.elements.id_number.value) { refresh(); checkDuplicate(); }  // a form shown again (a failed submit)
  showVerdictBesideSubmit();
})();
