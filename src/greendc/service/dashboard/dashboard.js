// greendc monitor: fetches GET /api/v1/dashboard with the API token and draws what it returns.
// Sign-in: the token comes from the sign-in form or from the URL fragment (#token=..., never sent to the server,
// removed from the address bar at once), and is kept in this tab's sessionStorage only (gone when the tab closes).
(function () {
  "use strict";
  const KEY = "greendc_token";
  const store = window.sessionStorage;
  window.localStorage.removeItem(KEY);  // earlier versions kept the token in localStorage: forget it
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (fragment.get("token")) {
    store.setItem(KEY, fragment.get("token"));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  const query = new URLSearchParams(window.location.search);
  const api = "/api/v1/dashboard" + (query.toString() ? "?" + query.toString() : "");
  const $ = (id) => document.getElementById(id);
  let timer = null;

  function text(el, value) { el.textContent = value === null || value === undefined ? "" : String(value); }

  function signedIn(yes) {
    $("signin").hidden = yes;
    $("account").hidden = !yes;
  }

  function showSignIn(message) {
    if (timer) { window.clearTimeout(timer); timer = null; }
    signedIn(false);
    $("status").className = "error";
    text($("status"), message);
    $("token-input").focus();
  }

  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token-input").value.trim();
    if (value) {
      store.setItem(KEY, value);
      $("token-input").value = "";
      signedIn(true);
      refresh();
    }
  });

  $("sign-out").addEventListener("click", () => {
    store.removeItem(KEY);
    showSignIn("signed out: paste a token to sign in again");
  });

  function draw(id, figure) {
    const div = $(id);
    if (!figure) { div.style.display = "none"; return; }
    div.style.display = "block";
    Plotly.react(div, figure.data, figure.layout, { responsive: true, displaylogo: false });
  }

  function render(d) {
    text($("site"), "— site " + d.site);
    const when = d.newest ? "newest reading " + d.newest : "no readings yet";
    $("status").className = "";
    text($("status"), when + " · refreshed " + new Date().toISOString() + " · every " + d.refresh_s + " s");
    const list = $("alarms");
    list.replaceChildren();
    if (!d.alarms.length) {
      const li = document.createElement("li");
      li.id = "no-alarm";
      li.textContent = "no alarm";
      list.appendChild(li);
    }
    for (const a of d.alarms) {
      const li = document.createElement("li");
      li.className = "alarm " + a.severity;
      li.dataset.kind = a.kind;
      li.textContent = a.kind.replace("_", " ") + (a.meter ? " · " + a.meter : "") + ": " + a.message;
      list.appendChild(li);
    }
    text($("kpi-note"), d.kpi_note);
    draw("fig-targets", d.figures.targets);
    draw("fig-flows", d.figures.flows);
    draw("fig-storage", d.figures.storage);
    const body = $("latest").tBodies[0];
    body.replaceChildren();
    for (const m of d.latest) {
      const tr = document.createElement("tr");
      for (const [value, cls] of [[m.meter], [m.asset], [m.column], [m.ts], [m.value, "num"], [m.unit]]) {
        const td = document.createElement("td");
        if (cls) td.className = cls;
        text(td, typeof value === "number" ? value.toLocaleString("en", { maximumFractionDigits: 3 }) : value);
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }

  async function refresh() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    const token = store.getItem(KEY);
    if (!token) { showSignIn("sign in with an API token to see the data"); return; }
    signedIn(true);
    let period = 10;
    try {
      const response = await fetch(api, { headers: { Authorization: "Bearer " + token } });
      const body = await response.json();
      if (response.status === 401 || response.status === 403) {
        store.removeItem(KEY);
        showSignIn("token refused: " + body.detail);
        return;
      }
      if (!response.ok) {
        $("status").className = "error";
        text($("status"), "error " + response.status + ": " + body.detail);
      } else {
        render(body);
        period = body.refresh_s;
      }
    } catch (err) {
      $("status").className = "error";
      text($("status"), "service unreachable, retrying: " + err);
    }
    timer = window.setTimeout(refresh, period * 1000);
  }

  refresh();
})();
