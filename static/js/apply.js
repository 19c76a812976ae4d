// 网上申请: choosing a county lists its communities (without JavaScript, the form's own button does).
document.querySelectorAll("select[name=county]").forEach(function (select) {
  select.addEventListener("change", function () {
    const action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "county";
    select.form.appendChild(action);
    select.form.submit();
  });
});
