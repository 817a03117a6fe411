// Opens a personal page: the key is the link's fragment (never sent to the server); the browser's
// Web Crypto API decrypts the AES-GCM payload. The decrypted HTML was escaped when it was built.
(function () {
  "use strict";
  var status = document.getElementById("status");
  function say(text) {
    status.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    status.appendChild(p);
  }
  function bytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  // A file the page carries (the person's calendar) is text in a <template>; its link downloads it
  // as a file made here, byte for byte (a carriage return travels as &#13;, which HTML keeps).
  function attachFiles() {
    var links = document.querySelectorAll("#content a[data-file]");
    for (var i = 0; i < links.length; i++) {
      var held = document.getElementById(links[i].getAttribute("data-file"));
      if (!held || !held.content) { continue; }
      var file = new Blob([held.content.textContent], { type: held.getAttribute("data-type") || "text/plain" });
      links[i].href = URL.createObjectURL(file);
    }
  }
  // Pasting another link into the same tab changes only the fragment: open the page afresh.
  window.addEventListener("hashchange", function () { window.location.reload(); });
  var key = window.location.hash.slice(1);
  if (!key) {
    say("This page is personal and encrypted. Open it with the whole link you were sent: the part after # is its key.");
    return;
  }
  if (!window.crypto || !window.crypto.subtle) {
    say("This browser cannot open encrypted pages here (the Web Crypto API is missing, or the page is not served over HTTPS).");
    return;
  }
  var sealed = JSON.parse(document.getElementById("sealed").textContent);
  // Version 2 pages are deflated before they are encrypted; the browser inflates them.
  if (sealed.v === 2 && typeof DecompressionStream === "undefined") {
    say("This browser is too old to open this page (it cannot unpack it). Update the browser, or ask the program coordinator for your details.");
    return;
  }
  var data;
  try { data = bytes(sealed.data); } catch (e) { say("This page is damaged; ask the program coordinator for your link again."); return; }
  var raw;
  try { raw = bytes(key); } catch (e) { raw = new Uint8Array(0); }
  window.crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"])
    .then(function (k) {
      return window.crypto.subtle.decrypt({ name: "AES-GCM", iv: data.slice(0, 12),
        additionalData: new TextEncoder().encode(sealed.id) }, k, data.slice(12));
    })
    .then(function (plain) {
      if (sealed.v !== 2) { return new TextDecoder().decode(plain); }
      return new Response(new Blob([plain]).stream().pipeThrough(new DecompressionStream("deflate"))).text();
    }, function () {
      say("This link does not open this page: its key is wrong or incomplete. Use the whole link you were sent, or ask the program coordinator for it again.");
      return null;
    })
    .then(function (html) {
      if (html === null) { return; }
      document.getElementById("content").innerHTML = html;
      attachFiles();
      say("Your page is open.");
    })
    .catch(function () {
      say("This page is damaged; ask the program coordinator for your link again.");
    });
})();
