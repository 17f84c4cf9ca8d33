// The project list's target filter follows the goal filter: when the goal changes, the target
// select offers only that goal's targets (all goals' when none is chosen). Without JavaScript the
// server does the same once the form is sent. The codes come from the select's
// data-targets-by-goal attribute ({"13": ["13.1", ...], ...}); goal names from the goal select.
(function () {
  "use strict";

  function follow(targetSelect) {
    var form = targetSelect.form;
    var goalSelect = form && form.elements.namedItem("goal");
    if (!goalSelect || goalSelect.tagName !== "SELECT") {
      return;
    }
    var byGoal = JSON.parse(targetSelect.getAttribute("data-targets-by-goal") || "{}");
    var allLabel = targetSelect.options.length ? targetSelect.options[0].text : "";

    function goalLabel(number) {
      for (var i = 0; i < goalSelect.options.length; i++) {
        if (goalSelect.options[i].value === number) {
          return goalSelect.options[i].text;
        }
      }
      return number;
    }

    function rebuild() {
      var chosen = targetSelect.value;
      var goal = goalSelect.value;
      var numbers = goal && byGoal[goal] ? [goal] : Object.keys(byGoal);
      var options = [new Option(allLabel, "")];
      numbers.forEach(function (number) {
        var group = document.createElement("optgroup");
        group.label = goalLabel(number);
        byGoal[number].forEach(function (code) {
          group.appendChild(new Option(code, code, false, code === chosen));
        });
        options.push(group);
      });
      targetSelect.replaceChildren.apply(targetSelect, options);
      if (targetSelect.value !== chosen) {
        targetSelect.value = "";
      }
    }

    goalSelect.addEventListener("change", rebuild);
  }

  function start() {
    document.querySelectorAll("select[data-targets-by-goal]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
