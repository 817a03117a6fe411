// Checks a form before it is sent: required answers and word limits. Errors are listed
// in a summary that screen readers announce, each linked to its field, and the fields are
// marked aria-invalid. The server checks everything again; this only saves a round trip.
(function () {
  "use strict";
  function words(text) { return text.trim() ? text.trim().split(/\s+/).length : 0; }
  // Today in the reader's own calendar, as a date input writes it (yyyy-mm-dd).
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  function labelOf(field) {
    var legend = field.querySelector("legend");
    var label = field.querySelector(":scope > label");
    var node = legend || label;
    return node ? node.firstChild.textContent.trim() : field.dataset.field;
  }

  function problem(field) {
    var textarea = field.querySelector("textarea");
    var input = field.querySelector("input:not([type=radio]):not([type=checkbox])");
    var group = field.querySelector("fieldset");
    var required = !!field.querySelector("[required]") || (group && group.dataset.required === "true");
    if (group) {
      var chosen = group.querySelectorAll("input:checked").length;
      return required && !chosen ? "Choose an answer." : "";
    }
    var control = textarea || input;
    var value = control.value.trim();
    if (required && !value) return "This answer is required.";
    if (input && input.dataset.pastOnly && value > today())
      return "Choose today or an earlier day: this asks when something took place.";
    if (textarea && textarea.dataset.maxWords && words(value) > +textarea.dataset.maxWords)
      return "Use at most " + textarea.dataset.maxWords + " words (now " + words(value) + ").";
    if (value && control.validity && !control.validity.valid) return control.validationMessage || "Check this answer.";
    return "";
  }

  function check(form, event) {
    var summary = form.querySelector(".crp-form__errors");
    var items = [];
    form.querySelectorAll(".crp-field").forEach(function (field) {
      var message = problem(field);
      var error = field.querySelector(".crp-error");
      var control = field.querySelector("fieldset, textarea, input");
      error.textContent = message;
      error.hidden = !message;
      control.setAttribute("aria-invalid", message ? "true" : "false");
      // "Campus: Choose an answer." but "How can you attend?" takes no colon after its question mark.
      var label = labelOf(field);
      if (message) items.push({ id: control.id, text: label + (/[?:!]$/.test(label) ? " " : ": ") + message });
    });
    if (!items.length) { summary.hidden = true; return; }
    event.preventDefault();
    summary.innerHTML = "";
    var heading = document.createElement("p");
    heading.textContent = items.length + (items.length === 1 ? " answer needs" : " answers need") + " attention:";
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + item.id;
      link.textContent = item.text;
      li.appendChild(link);
      list.appendChild(li);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    summary.hidden = false;
    summary.focus();
  }

  function counters() {
    document.querySelectorAll("[data-count-for]").forEach(function (counter) {
      var area = document.getElementById(counter.dataset.countFor);
      var update = function () {
        counter.textContent = words(area.value) + " of " + area.dataset.maxWords + " words used.";
      };
      area.addEventListener("input", update);
    });
  }

  // A personal link (?email=...&token=...) fills in who is answering.
  function fromLink(form) {
    var params = new URLSearchParams(window.location.search);
    var token = form.querySelector("[data-from-link=token]");
    if (token && params.get("token")) token.value = params.get("token");
    var email = form.querySelector("input[name=email]");
    if (email && params.get("email") && !email.value) email.value = params.get("email");
    // A check-in link names the quarter it is for; nothing else is chosen from a link.
    var quarters = form.querySelectorAll("input[type=radio][name=quarter]");
    var chosen = Array.prototype.some.call(quarters, function (r) { return r.checked; });
    if (params.get("quarter") && !chosen) {
      quarters.forEach(function (r) { if (r.value === params.get("quarter")) r.checked = true; });
    }
  }

  function init() {
    document.querySelectorAll("form.crp-form").forEach(function (form) {
      fromLink(form);
      // A date of something that has happened: the date picker offers no later day.
      form.querySelectorAll("input[data-past-only]").forEach(function (input) { input.max = today(); });
      form.addEventListener("submit", function (event) { check(form, event); });
    });
    counters();
  }
  if (window.document$) { window.document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
