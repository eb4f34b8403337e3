// Progressive enhancement only: the forms work the same without this file.
// On "New user", shows which rules the chosen username and password meet while one types.
(function () {
  "use strict";
  var form = document.querySelector("form[data-rules]");
  var rules = document.getElementById("rules");
  if (!form || !rules) { return; }
  var username = form.querySelector("#username");
  var password = form.querySelector("#password");
  var met = rules.getAttribute("data-met");
  var unmet = rules.getAttribute("data-unmet");
  var usernamePattern = /^[A-Za-z0-9._-]{3,32}$/;

  function normalize(text) { return (text.normalize ? text.normalize("NFKC") : text).trim(); }

  function mark(name, ok) {
    var item = rules.querySelector('[data-rule="' + name + '"]');
    var state = item.querySelector(".visually-hidden");
    if (!state) {
      state = document.createElement("span");
      state.className = "visually-hidden";
      item.appendChild(state);
    }
    item.setAttribute("data-state", ok ? "met" : "unmet");
    state.textContent = " (" + (ok ? met : unmet) + ")";
  }

  function update() {
    var user = normalize(username.value);
    var pass = password.value;
    mark("username", usernamePattern.test(user));
    mark("length", Array.from(pass).length >= 8);
    mark("different", pass.length > 0 && pass.toLowerCase() !== user.toLowerCase());
  }

  rules.hidden = false;
  username.addEventListener("input", update);
  password.addEventListener("input", update);
  update();
}());
