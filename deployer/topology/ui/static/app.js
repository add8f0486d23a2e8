// The live topology page: polls /api/topology, swaps in the server-rendered SVG, and lets the
// user allow or deny the selected edge through POST /api/intentions.
"use strict";

const POLL_MS = 300;
let shownVersion = -1;
let selected = null;      // "source->destination" of the selected edge
let lastTopology = null;
let busy = false;

const graph = document.getElementById("graph");
const details = document.getElementById("details");

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function describeIntention(edge) {
  const i = edge.intention;
  if (!i) return "none: Consul's default applies";
  return `${i.source} -> ${i.destination}: ${i.action}` + (i.managed ? " (managed by the deployer)" : " (not ours)");
}

function describeStats(stats) {
  if (stats.rps === null) return [["figures", stats.note || "no stats"]];
  const pct = stats.error_rate === null ? "-" : `${(stats.error_rate * 100).toFixed(1)} %`;
  const ms = (v) => (v === null ? "-" : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
  const denied = stats.rbac_denied_per_s === null ? "-" : `${stats.rbac_denied_per_s.toFixed(1)} /s (all callers)`;
  return [["requests", `${stats.rps.toFixed(1)} /s`], ["errors", pct], ["p50", ms(stats.p50_ms)],
          ["p99", ms(stats.p99_ms)], ["RBAC denials", denied]];
}

function renderDetails() {
  if (!selected || !lastTopology) return;
  const edge = lastTopology.edges.find((e) => e.key === selected);
  const message = document.getElementById("message");
  const kept = message ? [message.textContent, message.className] : null;
  details.replaceChildren();
  if (!edge) {
    details.append(text("p", `${selected} is no longer in the mesh.`, "hint"));
    return;
  }
  details.append(text("h2", `${edge.source} → ${edge.destination}`));
  const rows = [["applies", edge.action], ["intention", describeIntention(edge)],
                ["data plane", `${edge.dataplane}${edge.dataplane_detail ? ": " + edge.dataplane_detail : ""}`],
                ...describeStats(edge.stats)];
  const list = document.createElement("dl");
  for (const [term, value] of rows) {
    list.append(text("dt", term), text("dd", value, term === "applies" ? `state-${edge.action}ed` : ""));
  }
  list.dataset.state = edge.state;
  list.id = "edge-facts";
  details.append(list);
  for (const action of ["allow", "deny"]) {
    const button = text("button", action);
    button.id = action;
    button.disabled = busy;
    button.addEventListener("click", () => changeIntention(edge, action));
    details.append(button);
  }
  const note = text("div", kept ? kept[0] : "", kept ? kept[1] : "");
  note.id = "message";
  details.append(note);
}

async function changeIntention(edge, action) {
  busy = true;
  renderDetails();
  const message = document.getElementById("message");
  message.className = "";
  message.textContent = `${action === "deny" ? "denying" : "allowing"} ${edge.source} -> ${edge.destination}, ` +
                        `waiting for ${edge.destination}'s sidecar…`;
  try {
    const response = await fetch("/api/intentions", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({source: edge.source, destination: edge.destination, action: action}),
    });
    const answer = await response.json();
    busy = false;
    renderDetails();
    const note = document.getElementById("message");
    note.className = response.ok ? "done" : "failed";
    note.textContent = response.ok ? answer.message : `${answer.error}${answer.hint ? " (" + answer.hint + ")" : ""}`;
  } catch (error) {
    busy = false;
    renderDetails();
    const note = document.getElementById("message");
    note.className = "failed";
    note.textContent = `request failed: ${error}`;
  }
  poll();
}

function markSelection() {
  for (const group of graph.querySelectorAll("g.edge")) {
    group.classList.toggle("selected", group.dataset.edge === selected);
  }
}

graph.addEventListener("click", (event) => {
  const group = event.target.closest("g.edge");
  if (!group) return;
  selected = group.dataset.edge;
  const message = document.getElementById("message");
  if (message) message.textContent = "";
  markSelection();
  renderDetails();
});

async function poll() {
  try {
    const response = await fetch("/api/topology", {cache: "no-store"});
    const snapshot = await response.json();
    const error = document.getElementById("error");
    error.hidden = !snapshot.error;
    error.textContent = snapshot.error || "";
    if (snapshot.version !== shownVersion) {
      shownVersion = snapshot.version;
      graph.innerHTML = snapshot.svg;
      lastTopology = snapshot.topology;
      markSelection();
      renderDetails();
    }
    const when = snapshot.updated ? new Date(snapshot.updated * 1000).toLocaleTimeString() : "-";
    document.getElementById("status").textContent = `live · read ${when}`;
  } catch (error) {
    document.getElementById("status").textContent = `cannot reach deployer ui: ${error}`;
  }
}

poll();
setInterval(poll, POLL_MS);
