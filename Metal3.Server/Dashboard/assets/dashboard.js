// The metal3 dashboard: plain JavaScript, no build step. The page itself holds no data; everything comes from the
// API with the bearer token the user typed once (kept in localStorage).
//
// Live updates: list the hosts, then follow GET /api/v1/hosts?watch=true&resourceVersion=N (Server-Sent Events read
// with fetch, because EventSource cannot send an Authorization header). When the daemon has no watch API (an older
// daemon answers the list instead of a stream) or the stream fails, poll the list every few seconds.
"use strict";

(() => {
  const TOKEN_KEY = "metal3.token";
  const VIEW_KEY = "metal3.view";
  const POLL_MS = 3000;
  const RETRY_MS = 2000;
  const PAGE_SIZE = 500;

  const hosts = new Map();          // name → host as the API returns it
  let token = localStorage.getItem(TOKEN_KEY);
  let selected = null;              // name of the host whose details are open
  let selectedVersion = null;       // its resourceVersion when its events were last loaded
  let watchSupported = true;        // false once the daemon answered a watch with something else than a stream
  let generation = 0;               // bumped on sign-in/out so an old sync loop stops
  let inFlight = new AbortController(); // aborts the open requests (the watch stream) of the old loop

  const $ = (id) => document.getElementById(id);

  class Unauthorized extends Error {}
  class Gone extends Error {}

  // ---- API -----------------------------------------------------------------------------------------------------

  async function api(path, init = {}) {
    const response = await fetch(path, {
      ...init,
      headers: { Accept: "application/json", ...(init.headers || {}), Authorization: `Bearer ${token}` },
      cache: "no-store",
      signal: inFlight.signal,
    });
    if (response.status === 401 || response.status === 403) {
      throw new Unauthorized(`the daemon refused the token (${response.status})`);
    }
    return response;
  }

  async function json(path) {
    const response = await api(path);
    if (!response.ok) {
      throw new Error(`${path}: ${response.status} ${await problemText(response)}`);
    }
    return response.json();
  }

  async function problemText(response) {
    try {
      const problem = await response.json();
      return problem.detail || problem.title || "";
    } catch {
      return "";
    }
  }

  /** Every host, page by page; returns the list's resourceVersion (null from a daemon without the watch API). */
  async function listAll() {
    const all = new Map();
    let resourceVersion = null;
    let cont = null;
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cont) {
        query.set("continue", cont);
      }
      const page = await json(`/api/v1/hosts?${query}`);
      for (const host of page.items) {
        all.set(host.name, host);
      }
      resourceVersion = resourceVersion ?? page.resourceVersion ?? null;
      cont = page.continue;
    } while (cont);
    hosts.clear();
    for (const [name, host] of all) {
      hosts.set(name, host);
    }
    return resourceVersion;
  }

  /**
   * Follows the watch stream from resourceVersion until it ends. Returns the last resourceVersion seen, or null when
   * the daemon does not offer the watch API. Throws Gone on 410 (too old: list again).
   */
  async function watch(resourceVersion, myGeneration) {
    const query = new URLSearchParams({ watch: "true" });
    if (resourceVersion) {
      query.set("resourceVersion", resourceVersion);
    }
    const response = await api(`/api/v1/hosts?${query}`, { headers: { Accept: "text/event-stream" } });
    if (response.status === 410) {
      throw new Gone();
    }
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.startsWith("text/event-stream") || !response.body) {
      // An older daemon ignores watch=true and answers the list: poll instead.
      if (response.body) {
        response.body.cancel().catch(() => {});
      }
      return null;
    }
    setConnection("live", "live");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let last = resourceVersion;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || myGeneration !== generation) {
          return last;
        }
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseEvent(block);
          if (event) {
            last = event.id ?? last;
            apply(event);
          }
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  /** One SSE block ("id:", "event:", "data:" lines; ":" starts a comment such as the keepalive). */
  function parseEvent(block) {
    let id = null;
    let name = null;
    const data = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) {
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") {
        id = value;
      } else if (field === "event") {
        name = value;
      } else if (field === "data") {
        data.push(value);
      }
    }
    if (data.length === 0) {
      return null;
    }
    const payload = JSON.parse(data.join("\n"));
    return { id, type: payload.type || name, object: payload.object };
  }

  function apply(event) {
    if (!event.object || !event.object.name) {
      return;
    }
    if (event.type === "DELETED") {
      hosts.delete(event.object.name);
    } else if (event.type === "ADDED" || event.type === "MODIFIED") {
      hosts.set(event.object.name, event.object);
    }
    render();
  }

  // ---- the sync loop ---------------------------------------------------------------------------------------------

  async function sync(myGeneration) {
    while (myGeneration === generation) {
      try {
        const resourceVersion = await listAll();
        render();
        if (watchSupported) {
          try {
            const opened = Date.now();
            const last = await watch(resourceVersion, myGeneration);
            if (last === null) {
              watchSupported = false;
            } else {
              // The stream ended (daemon restart, proxy timeout): list again and follow on, without spinning if
              // something closes every stream at once.
              if (Date.now() - opened < 1000) {
                await sleep(RETRY_MS);
              }
              continue;
            }
          } catch (e) {
            if (e instanceof Gone) {
              continue;
            }
            throw e;
          }
        }
        setConnection("polling", `polling every ${POLL_MS / 1000} s`);
        await sleep(POLL_MS);
      } catch (e) {
        if (myGeneration !== generation) {
          return; // signed out meanwhile: this loop's requests were aborted
        }
        if (e instanceof Unauthorized) {
          askForToken(e.message);
          return;
        }
        setConnection("offline", `offline: ${e.message}`);
        await sleep(RETRY_MS);
      }
    }
  }

  // ---- rendering -------------------------------------------------------------------------------------------------

  function render() {
    const sorted = [...hosts.values()].sort((a, b) => a.name.localeCompare(b.name));
    renderTable(sorted);
    renderGrid(sorted);
    $("empty").hidden = sorted.length > 0;
    renderSummary(sorted);
    renderDetails();
  }

  function stateOf(host) {
    return (host.status && host.status.provisioning && host.status.provisioning.state) || "unknown";
  }

  function stateClass(state) {
    return "state-" + state.replace(/[^a-z]+/gi, "-");
  }

  function isError(host) {
    return host.status && host.status.operationalStatus === "error";
  }

  function powerOf(host) {
    return host.status && host.status.poweredOn ? "on" : "off";
  }

  function renderTable(sorted) {
    const rows = sorted.map((host) => {
      const tr = el("tr", { "data-host": host.name, "data-state": stateOf(host) });
      tr.classList.toggle("selected", host.name === selected);
      tr.append(
        el("td", {}, host.name),
        el("td", {}, el("span", { class: `badge ${stateClass(stateOf(host))}` }, stateOf(host))),
        el("td", {}, host.online ? "true" : "false"),
        el("td", {}, powerOf(host)),
        el("td", { class: "bmc" }, (host.bmc && host.bmc.address) || ""),
        el("td", { class: isError(host) ? "error" : "" }, errorText(host)),
        el("td", { title: host.createdAt || "" }, age(host.createdAt)),
      );
      tr.addEventListener("click", () => select(host.name));
      return tr;
    });
    $("host-rows").replaceChildren(...rows);
  }

  function renderGrid(sorted) {
    const tiles = sorted.map((host) => {
      const tile = el("button", {
        type: "button",
        class: `tile ${stateClass(stateOf(host))}${isError(host) ? " has-error" : ""}`,
        "data-host": host.name,
        "data-state": stateOf(host),
        title: errorText(host) || stateOf(host),
      },
      el("span", { class: "tile-name" }, host.name),
      el("span", { class: "tile-state" }, stateOf(host)),
      el("span", { class: "tile-power" }, `power ${powerOf(host)}`));
      tile.addEventListener("click", () => select(host.name));
      return tile;
    });
    $("host-grid").replaceChildren(...tiles);
  }

  function renderSummary(sorted) {
    const errors = sorted.filter(isError).length;
    $("summary").textContent = `${sorted.length} host${sorted.length === 1 ? "" : "s"}` + (errors ? `, ${errors} in error` : "");
  }

  function renderDetails() {
    const host = selected && hosts.get(selected);
    $("details").hidden = !host;
    if (!host) {
      return;
    }
    $("details-name").textContent = host.name;
    const s = host.status || {};
    const fields = [
      ["state", stateOf(host)],
      ["operational status", s.operationalStatus],
      ["online", String(host.online)],
      ["power", powerOf(host)],
      ["BMC", host.bmc && host.bmc.address],
      ["boot MAC", host.bootMacAddress],
      ["boot mode", host.bootMode],
      ["image", host.image && host.image.url],
      ["consumer", host.consumerRef],
      ["labels", Object.entries(host.labels || {}).map(([k, v]) => `${k}=${v}`).join(", ")],
      ["error", errorText(host)],
      ["progress", progressText(s)],
      ["resource version", host.resourceVersion],
      ["created", host.createdAt],
    ].filter(([, v]) => v !== undefined && v !== null && v !== "");
    $("details-fields").replaceChildren(...fields.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
    if (host.resourceVersion !== selectedVersion) {
      selectedVersion = host.resourceVersion;
      loadEvents(host.name);
    }
  }

  async function loadEvents(name) {
    try {
      const page = await json(`/api/v1/hosts/${encodeURIComponent(name)}/events`);
      if (name !== selected) {
        return;
      }
      const items = page.items.slice().reverse().map((e) => {
        const li = el("li", { class: `event event-${(e.type || "").toLowerCase()}`, "data-reason": e.reason });
        const transition = e.fromState || e.toState ? `${e.fromState || "∅"} → ${e.toState || "∅"}` : "";
        li.append(
          el("time", { datetime: e.time, title: e.time }, `${age(e.time)} ago`),
          el("span", { class: "reason" }, e.reason),
          transition ? el("span", { class: "transition" }, transition) : "",
          el("p", { class: "message" }, e.message),
        );
        return li;
      });
      $("timeline").replaceChildren(...items);
    } catch (e) {
      if (e instanceof Unauthorized) {
        askForToken(e.message);
        return;
      }
      $("timeline").replaceChildren(el("li", { class: "error" }, `could not load events: ${e.message}`));
    }
  }

  function select(name) {
    selected = name;
    selectedVersion = null;
    $("timeline").replaceChildren();
    render();
  }

  function errorText(host) {
    const s = host.status || {};
    if (!s.errorType && !s.errorMessage) {
      return "";
    }
    return [s.errorType, s.errorMessage].filter(Boolean).join(": ");
  }

  function progressText(status) {
    const p = status.provisioning && status.provisioning.progress;
    if (!p) {
      return "";
    }
    return p.bytesTotal ? `${Math.floor((100 * p.bytesWritten) / p.bytesTotal)} % of ${p.bytesTotal} bytes` : `${p.bytesWritten} bytes`;
  }

  /** Like kubectl's AGE column: 42s, 7m, 5h, 3d. */
  function age(iso) {
    if (!iso) {
      return "";
    }
    const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 120) return `${seconds}s`;
    if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
    if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
    return `${Math.floor(seconds / 86400)}d`;
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) {
      if (v !== "" && v !== undefined && v !== null) {
        node.setAttribute(k, v);
      }
    }
    // Text only, never HTML: error messages and labels come from users and BMCs.
    node.append(...children.filter((c) => c !== "" && c !== undefined && c !== null));
    return node;
  }

  function setConnection(mode, text) {
    const c = $("connection");
    c.dataset.mode = mode;
    c.textContent = text;
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // ---- views, token ---------------------------------------------------------------------------------------------

  function showView(view) {
    localStorage.setItem(VIEW_KEY, view);
    $("host-table").hidden = view !== "table";
    $("host-grid").hidden = view !== "grid";
    $("show-table").setAttribute("aria-pressed", String(view === "table"));
    $("show-grid").setAttribute("aria-pressed", String(view === "grid"));
  }

  function askForToken(message) {
    generation++;
    inFlight.abort();
    inFlight = new AbortController();
    token = null;
    localStorage.removeItem(TOKEN_KEY);
    hosts.clear();
    $("hosts").hidden = true;
    $("details").hidden = true;
    $("views").hidden = true;
    $("sign-out").hidden = true;
    $("token-form").hidden = false;
    $("token-error").hidden = !message;
    $("token-error").textContent = message || "";
    setConnection("offline", "offline");
    $("token").focus();
  }

  function start() {
    generation++;
    inFlight.abort();
    inFlight = new AbortController();
    $("token-form").hidden = true;
    $("hosts").hidden = false;
    $("views").hidden = false;
    $("sign-out").hidden = false;
    setConnection("offline", "connecting…");
    sync(generation);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      token = $("token").value.trim();
      if (!token) {
        return;
      }
      localStorage.setItem(TOKEN_KEY, token);
      $("token").value = "";
      start();
    });
    $("sign-out").addEventListener("click", () => askForToken(""));
    $("show-table").addEventListener("click", () => showView("table"));
    $("show-grid").addEventListener("click", () => showView("grid"));
    $("close-details").addEventListener("click", () => {
      selected = null;
      render();
    });
    showView(localStorage.getItem(VIEW_KEY) === "grid" ? "grid" : "table");
    setInterval(render, 5000); // ages move on even when nothing changes
    if (token) {
      start();
    } else {
      askForToken("");
    }
  });
})();
