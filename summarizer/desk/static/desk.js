// The desk's pages: the inbox (add articles, live status) and the review page (highlights, items,
// keyboard, edits). Every change goes through the JSON API; the server validates and keeps it.
"use strict";

const statusLine = document.getElementById("status");
const editorInput = document.getElementById("editor");
editorInput.value = localStorage.getItem("desk-editor") || "";
editorInput.addEventListener("change", () => localStorage.setItem("desk-editor", editorInput.value.trim()));
const editor = () => editorInput.value.trim() || "editor";

function say(message, isError = false) {
  statusLine.textContent = message;
  statusLine.classList.toggle("error", isError);
}

async function api(method, url, body) {
  const init = { method, headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new Error("the desk cannot be reached; your change was not saved");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail
      : Array.isArray(data.detail) ? data.detail.map((d) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ")
      : `HTTP ${response.status}`;
    const err = new Error(detail);
    err.status = response.status;
    throw err;
  }
  return data;
}

// ---- inbox -----------------------------------------------------------------------------------

function inbox() {
  const forms = {
    paste: (f) => api("POST", "/api/articles", {
      text: f.text.value, title: f.title.value || null, published: f.published.value || null, editor: editor(),
    }),
    upload: (f) => {
      const body = new FormData();
      for (const file of f.files.files) body.append("files", file);
      return api("POST", "/api/uploads", body);
    },
    folder: (f) => api("POST", "/api/folders", { path: f.path.value, editor: editor() }),
  };
  for (const [id, send] of Object.entries(forms)) {
    const form = document.getElementById(id);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const answer = await send(form);
        const n = answer.ids ? answer.ids.length : 1;
        say(`${n} article${n === 1 ? "" : "s"} queued for drafting`);
        form.reset();
        refreshList();
      } catch (e) {
        say(e.message, true);
      }
    });
  }
  const refreshList = async () => {
    try {
      const rows = await api("GET", "/api/articles");
      const body = document.querySelector("#articles tbody");
      body.replaceChildren(...rows.map((a) => {
        const tr = document.createElement("tr");
        tr.dataset.id = a.id;
        tr.className = `status-${a.status}`;
        const link = document.createElement("a");
        link.href = `/articles/${a.id}`;
        link.textContent = a.title || a.source || a.id;
        const cells = [link, a.published || "", [a.status, a.stage, a.reason].filter(Boolean).join(" · "),
          a.approved ? "approved" : ""];
        for (const c of cells) {
          const td = document.createElement("td");
          td.append(c);
          tr.append(td);
        }
        tr.children[2].className = "state";
        return tr;
      }));
    } catch (e) {
      say(e.message, true);
    }
  };
  setInterval(refreshList, 1000);
}

// ---- review ----------------------------------------------------------------------------------

function reviewPage(main) {
  const id = main.dataset.articleId;
  let version = Number(main.dataset.version);
  let current = -1;
  const items = () => [...document.querySelectorAll("#items .item")];

  function select(i, scroll = true) {
    const list = items();
    if (!list.length) return;
    current = Math.max(0, Math.min(i, list.length - 1));
    const item = list[current];
    document.querySelectorAll(".current").forEach((el) => el.classList.remove("current"));
    item.classList.add("current");
    const marks = [...document.querySelectorAll("mark[data-items]")]
      .filter((m) => m.dataset.items.split(" ").includes(item.dataset.key));
    marks.forEach((m) => m.classList.add("current"));
    if (scroll) {
      item.scrollIntoView({ block: "nearest" });
      if (marks.length) marks[0].scrollIntoView({ block: "center" });
    }
  }

  async function reload(keepKey) {
    const html = await (await fetch(location.pathname)).text();
    const fresh = new DOMParser().parseFromString(html, "text/html");
    document.getElementById("desk-main").replaceWith(fresh.getElementById("desk-main"));
    document.querySelector(".bar .actions")?.replaceWith(fresh.querySelector(".bar .actions") || "");
    const next = document.getElementById("desk-main");
    version = Number(next.dataset.version);
    bind(next);
    if (keepKey !== undefined) {
      const i = items().findIndex((el) => el.dataset.key === keepKey);
      if (i >= 0) select(i, false);
    }
  }

  async function edit(change, keepKey) {
    try {
      await api("POST", `/api/articles/${id}/edits`, { version, editor: editor(), ...change });
      say("saved");
      await reload(keepKey);
      return true;
    } catch (e) {
      say(e.status === 409 ? `Not saved: ${e.message}` : `Not saved: ${e.message}`, true);
      return false;
    }
  }

  async function mark(value, advance) {
    const list = items();
    if (current < 0 || !list[current]) return;
    const key = list[current].dataset.key;
    const next = advance ? list[current + 1]?.dataset.key : key;
    if (await edit({ op: "mark", path: key, value }, next || key)) {
      if (!next) select(current, false);
    }
  }

  function fieldValue(el) {
    const v = el.value.trim();
    if (el.type === "date" || el.dataset.path.endsWith("/period")) return v || null;
    return v;
  }

  function bind(root) {
    root.querySelectorAll("mark[data-items]").forEach((m) => m.addEventListener("click", () => {
      if (String(window.getSelection())) return;  // a selection is for adding a figure
      const key = m.dataset.items.split(" ")[0];
      const i = items().findIndex((el) => el.dataset.key === key);
      if (i >= 0) select(i);
    }));
    items().forEach((item, i) => {
      item.addEventListener("click", (event) => {
        if (!event.target.closest("input, select, textarea, button")) select(i);
      });
      item.querySelector(".accept").addEventListener("click", () => { select(i, false); mark("accepted", false); });
      item.querySelector(".reject").addEventListener("click", () => { select(i, false); mark("rejected", false); });
    });
    root.querySelectorAll("[data-path]").forEach((el) => el.addEventListener("change", () => {
      const key = el.closest(".item")?.dataset.key;
      edit({ op: "set", path: el.dataset.path, value: fieldValue(el) }, key);
    }));
    root.querySelectorAll("[data-window]").forEach((pair) => pair.querySelectorAll("input").forEach((el) =>
      el.addEventListener("change", () => {
        const [start, end] = [...pair.querySelectorAll("input")].map((i) => i.value || null);
        if ((start === null) !== (end === null)) return;  // a window is saved whole
        const key = pair.dataset.window;
        edit({ op: "set", path: key, value: { period_start: start, period_end: end } }, key);
      })));
    root.querySelector("#redraft")?.addEventListener("click", async () => {
      try { await api("POST", `/api/articles/${id}/redraft`); await reload(); } catch (e) { say(e.message, true); }
    });
    const form = root.querySelector("#add-figure");
    const text = root.querySelector("#article-text");
    text.addEventListener("mouseup", () => offerFigure(form, text));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ok = await edit({
        op: "add_metric", start: Number(form.dataset.start), end: Number(form.dataset.end),
        name: form.name.value, kind: form.kind.value, period: form.period.value.trim() || null,
      });
      if (ok) say("figure added");
    });
    form.querySelector(".cancel").addEventListener("click", () => { form.hidden = true; });
    if (root.dataset.status === "queued" || root.dataset.status === "drafting") {
      setTimeout(() => reload(), 1000);
    }
  }

  function offsetOf(node, offset) {
    const el = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest("[data-start]");
    return el ? Number(el.dataset.start) + (node.nodeType === Node.TEXT_NODE ? offset : 0) : null;
  }

  function offerFigure(form, text) {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !text.contains(sel.anchorNode) || !text.contains(sel.focusNode)) return;
    const a = offsetOf(sel.anchorNode, sel.anchorOffset);
    const b = offsetOf(sel.focusNode, sel.focusOffset);
    if (a === null || b === null) return;
    form.dataset.start = Math.min(a, b);
    form.dataset.end = Math.max(a, b);
    form.querySelector(".picked").textContent = String(sel).trim();
    form.hidden = false;
    form.name.focus();
  }

  document.addEventListener("click", async (event) => {
    const target = event.target;
    if (target.id === "approve") {
      const approved = !target.dataset.approved;
      try {
        await api("POST", `/api/articles/${id}/approve`, { version, editor: editor(), approved });
        say(approved ? "approved for publishing" : "approval withdrawn");
        await reload(items()[current]?.dataset.key);
      } catch (e) { say(e.message, true); }
    } else if (target.id === "gold") {
      try {
        const made = await api("POST", `/api/articles/${id}/gold`, { editor: editor() });
        say(`saved as gold: ${made.label}`);
        await reload(items()[current]?.dataset.key);
      } catch (e) { say(e.message, true); }
    } else if (target.id === "help-button") {
      document.getElementById("help").showModal();
    }
  });

  document.addEventListener("keydown", (event) => {
    const inField = event.target.closest && event.target.closest("input, select, textarea");
    if (inField) {
      if (event.key === "Escape") { event.target.blur(); select(current, false); }
      if (event.key === "Enter" && event.target.tagName !== "TEXTAREA") event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const list = items();
    switch (event.key) {
      case "j": case "ArrowDown": select(current + 1); break;
      case "k": case "ArrowUp": select(current - 1); break;
      case "a": mark("accepted", true); break;
      case "x": mark("rejected", true); break;
      case "u": mark("pending", false); break;
      case "e": list[current]?.querySelector("input, select, textarea")?.focus(); break;
      case "?": document.getElementById("help").showModal(); break;
      default: return;
    }
    event.preventDefault();
  });

  bind(main);
}

const main = document.getElementById("desk-main");
if (main) reviewPage(main);
else if (document.getElementById("inbox")) inbox();
