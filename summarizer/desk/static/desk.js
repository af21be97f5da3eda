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

// ---- drafting progress, streamed ---------------------------------------------------------------

function describe(a) {
  const parts = [a.status, a.stage, a.reason].filter(Boolean);
  const p = a.progress;
  if (p) parts.push(p.left === null ? `${p.elapsed} s so far` : `${p.elapsed} s so far, about ${p.left} s left`);
  return parts.join(" · ");
}

function progressBar(p) {
  const bar = document.createElement("progress");
  bar.max = 1;
  if (p && p.done !== null) bar.value = p.done;  // else indeterminate: no estimate before a first draft
  return bar;
}

// Every page shows what is drafting, from one server-sent event stream.
function watchQueue(onList) {
  const queue = document.getElementById("queue");
  const source = new EventSource("/api/events");
  source.onmessage = (event) => {
    const rows = JSON.parse(event.data);
    const drafting = rows.filter((a) => a.status === "drafting" || a.status === "queued");
    queue.replaceChildren(...drafting.slice(0, 1).map((a) => {
      const span = document.createElement("span");
      span.className = "drafting";
      const name = a.title || a.source || a.id;
      span.title = name;
      span.append(`${name.length > 28 ? `${name.slice(0, 27)}…` : name}: ${describe(a)} `);
      if (a.status === "drafting") span.append(progressBar(a.progress));
      return span;
    }));
    if (drafting.length > 1) queue.append(` (${drafting.length - 1} more queued)`);
    if (onList) onList(rows);
  };
  return source;
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
      } catch (e) {
        say(e.message, true);
      }
    });
  }
  const render = (rows) => {
    const body = document.querySelector("#articles tbody");
    body.replaceChildren(...rows.map((a) => {
      const tr = document.createElement("tr");
      tr.dataset.id = a.id;
      tr.className = `status-${a.status}`;
      const link = document.createElement("a");
      link.href = `/articles/${a.id}`;
      link.textContent = a.title || a.source || a.id;
      const state = document.createElement("span");
      state.textContent = describe(a);
      const cells = [link, a.published || "", a.status === "drafting" ? [state, " ", progressBar(a.progress)] : [state],
        a.approved ? "approved" : ""];
      for (const c of cells) {
        const td = document.createElement("td");
        td.append(...[c].flat());
        tr.append(td);
      }
      tr.children[2].className = "state";
      return tr;
    }));
  };
  watchQueue(render);
}

// ---- review ----------------------------------------------------------------------------------

function reviewPage(main) {
  const id = main.dataset.articleId;
  let version = Number(main.dataset.version);
  let currentKey = null;
  let pending = Promise.resolve();  // edits are sent one after another, each on the version before it
  const itemOf = (key) => document.querySelector(`#items .item[data-key="${CSS.escape(key)}"]`);
  // The items as the editor sees them: shown by the filter, in the chosen order.
  const items = () => [...document.querySelectorAll("#items .item")].filter((el) => !el.hidden)
    .sort((a, b) => Number(a.style.order || 0) - Number(b.style.order || 0));

  function keepInView(el) {
    const box = el.getBoundingClientRect();
    const list = document.querySelector(".brief").getBoundingClientRect();
    const top = Math.max(list.top, 0), bottom = Math.min(list.bottom, window.innerHeight);
    if (box.top < top || box.bottom > bottom) el.scrollIntoView({ block: "center" });
  }

  function select(key, { scroll = true, focus = true } = {}) {
    const item = key && itemOf(key);
    if (!item) return;
    currentKey = key;
    document.querySelectorAll(".current").forEach((el) => el.classList.remove("current"));
    item.classList.add("current");
    const marks = [...document.querySelectorAll("mark[data-items]")]
      .filter((m) => m.dataset.items.split(" ").includes(key));
    marks.forEach((m) => m.classList.add("current"));
    if (scroll) {
      if (marks.length) marks[0].scrollIntoView({ block: "center" });
      keepInView(item);
    }
    if (focus && !item.contains(document.activeElement)) item.focus({ preventScroll: true });
  }

  // ---- filter and order: what is left to check first ----
  const filter = document.getElementById("filter");
  const sort = document.getElementById("sort");
  const show = {
    all: () => true,
    left: (el) => el.dataset.mark === "pending",
    flagged: (el) => el.dataset.flagged === "yes",
    decided: (el) => el.dataset.mark !== "pending",
  };
  const orders = {
    review: (el) => Number(el.dataset.order),
    article: (el) => Number(el.dataset.at),
    sure: (el) => (el.dataset.confidence === "" ? -1 : Number(el.dataset.confidence)),
  };
  function arrange() {
    if (!filter) return;
    const all = [...document.querySelectorAll("#items .item")];
    const rank = all.map((el) => [orders[sort.value](el), Number(el.dataset.order), el])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    rank.forEach(([, , el], i) => { el.style.order = i; });  // CSS order: nothing moves in the DOM, focus stays
    // The item being worked on stays shown until the editor moves on.
    all.forEach((el) => { el.hidden = !show[filter.value](el) && el.dataset.key !== currentKey; });
  }
  for (const [el, name] of [[filter, "desk-filter"], [sort, "desk-sort"]]) {
    if (!el) continue;
    el.value = localStorage.getItem(name) || el.value;
    el.addEventListener("change", () => {
      localStorage.setItem(name, el.value);
      arrange();
      const list = items();
      if (!list.some((x) => x.dataset.key === currentKey) && list.length) currentKey = list[0].dataset.key;
      select(currentKey, { focus: false });
    });
  }

  // ---- refusals beside their field ----
  function refusalOf(field) {
    const host = field.closest("label, [data-whole], .buttons, form") || field;
    let note = host.nextElementSibling;
    if (!note || !note.classList.contains("refusal")) {
      note = document.createElement("span");
      note.className = "refusal";
      note.setAttribute("role", "alert");
      host.after(note);
    }
    return note;
  }
  function refuse(field, message) {
    const note = refusalOf(field);
    note.textContent = message;
    note.hidden = false;
    field.classList.add("unsaved");
    field.setAttribute("aria-invalid", "true");
    const item = field.closest(".item");
    if (item) keepInView(item);
  }
  function clearRefusal(field) {
    field.classList.remove("unsaved");
    field.removeAttribute("aria-invalid");
    const note = (field.closest("label, [data-whole], .buttons, form") || field).nextElementSibling;
    if (note && note.classList.contains("refusal")) note.remove();
  }
  function revert(field) {  // back to the saved value
    const inputs = field.matches("[data-whole]") ? [...field.querySelectorAll("input, select")] : [field];
    for (const el of inputs) {
      if (el.tagName === "SELECT") [...el.options].forEach((o) => { o.selected = o.defaultSelected; });
      else el.value = el.defaultValue;
    }
    clearRefusal(field);
  }
  function markSaved(field) {
    const inputs = field.matches("[data-whole]") ? [...field.querySelectorAll("input, select")] : [field];
    for (const el of inputs) {
      if (el.tagName === "SELECT") [...el.options].forEach((o) => { o.defaultSelected = o.selected; });
      else el.defaultValue = el.value;
    }
    clearRefusal(field);
  }

  // ---- the page after a save: fresh parts, except the one the editor is typing in ----
  async function refresh() {
    const html = await (await fetch(location.pathname)).text();
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const briefBox = document.querySelector(".brief");
    const scrolled = briefBox.scrollTop;
    const active = document.activeElement;
    const swap = (old, next) => {
      if (old.contains(active) || old.querySelector(".unsaved, .refusal")) {
        old.className = next.className;
        for (const name of ["mark", "flagged"]) old.dataset[name] = next.dataset[name] || "";
        old.querySelectorAll("[data-sync]").forEach((el) => {
          const twin = next.querySelector(`[data-sync="${el.dataset.sync}"]`);
          if (twin) el.replaceWith(document.importNode(twin, true));
        });
      } else {
        const copy = document.importNode(next, true);
        copy.style.order = old.style.order;
        copy.hidden = old.hidden;
        old.replaceWith(copy);
      }
    };
    const oldKeys = [...document.querySelectorAll("#items .item")].map((el) => el.dataset.key).join();
    const newKeys = [...fresh.querySelectorAll("#items .item")].map((el) => el.dataset.key).join();
    if (oldKeys !== newKeys) document.getElementById("items").replaceWith(document.importNode(fresh.getElementById("items"), true));
    for (const next of fresh.querySelectorAll("[data-part]")) {
      const old = document.querySelector(`[data-part="${CSS.escape(next.dataset.part)}"]`);
      if (old && old !== next) swap(old, next);
    }
    const freshMain = fresh.getElementById("desk-main");
    version = Number(freshMain.dataset.version);
    main.dataset.version = version;
    briefBox.scrollTop = scrolled;
    arrange();
    if (currentKey) select(currentKey, { focus: !document.activeElement || document.activeElement === document.body });
  }

  function send(change, field, done) {
    const job = pending.then(async () => {
      try {
        const state = await api("POST", `/api/articles/${id}/edits`, { version, editor: editor(), ...change });
        version = state.version;
        if (field) markSaved(field);
        const what = done || "saved";
        say(state.withdrew_approval ? `${what}; this withdrew the approval: approve again when done` : what);
        await refresh();
        return true;
      } catch (e) {
        const message = e.status === 409 ? `Not saved: ${e.message}` : `Not saved: ${e.message}`;
        say(message, true);
        if (field) refuse(field, `${message}. Esc puts back the saved value.`);
        return false;
      }
    });
    pending = job.catch(() => false);
    return job;
  }

  async function mark(value, advance) {
    const item = itemOf(currentKey);
    if (!item) return;
    const key = currentKey;
    const list = items();
    const next = advance ? list[list.findIndex((el) => el.dataset.key === key) + 1] : null;
    if (next) select(next.dataset.key);  // move on at once; the save follows
    const ok = await send({ op: "mark", path: key, value }, item.querySelector(".buttons"), value);
    if (!ok) select(key);
  }

  function fieldValue(el) {
    const v = el.value.trim();
    if (el.type === "date" || el.dataset.path.endsWith("/period")) return v || null;
    return v;
  }

  function saveField(el) {
    if (el.matches("[data-whole] *")) return saveWhole(el.closest("[data-whole]"));
    return send({ op: "set", path: el.dataset.path, value: fieldValue(el) }, el);
  }

  function saveWhole(group) {
    const value = {};
    for (const el of group.querySelectorAll("input, select")) value[el.name] = el.value.trim() || null;
    if (group.dataset.kind === "window") {
      const [start, end] = Object.values(value);
      if ((start === null) !== (end === null)) {
        refuse(group, "Not saved yet: a window needs both dates (or neither)");
        return Promise.resolve(false);
      }
    } else if (value.qualifier === "range" && value.value_high === null) {
      refuse(group, "Not saved yet: a range needs its upper end");
      return Promise.resolve(false);
    } else if (value.qualifier !== "range") {
      value.value_high = null;
    }
    return send({ op: "set", path: group.dataset.whole, value }, group);
  }

  // ---- events, delegated: parts of the page are replaced after each save ----
  let down = null;  // where a press in the article began: a drag is a selection, never a click
  main.addEventListener("mousedown", (event) => { down = [event.clientX, event.clientY]; });
  main.addEventListener("click", (event) => {
    const target = event.target;
    const moved = down && Math.hypot(event.clientX - down[0], event.clientY - down[1]) > 3;
    const highlight = target.closest("mark[data-items]");
    if (highlight) {
      if (moved || !getSelection().isCollapsed) return;  // a selection is for adding a figure
      select(highlight.dataset.items.split(" ")[0]);
      return;
    }
    const item = target.closest("#items .item");
    if (!item) return;
    if (target.closest(".accept, .reject")) {
      select(item.dataset.key, { scroll: false });
      mark(target.closest(".accept") ? "accepted" : "rejected", false);
    } else if (!target.closest("input, select, textarea, button") && !moved) {
      select(item.dataset.key, { scroll: false });
    }
  });
  main.addEventListener("focusin", (event) => {
    const item = event.target.closest("#items .item");
    if (item && item.dataset.key !== currentKey) select(item.dataset.key, { scroll: false, focus: false });
  });
  main.addEventListener("change", (event) => {
    const el = event.target;
    if (el.closest("#add-figure") || el.closest(".list-tools")) return;
    if (el.matches("[data-path]") || el.closest("[data-whole]")) saveField(el);
  });
  main.addEventListener("mouseup", (event) => {
    if (event.target.closest("#article-text")) offerFigure();
  });
  main.addEventListener("submit", async (event) => {
    if (event.target.id !== "add-figure") return;
    event.preventDefault();
    const form = event.target;
    await send({
      op: "add_metric", start: Number(form.dataset.start), end: Number(form.dataset.end),
      name: form.name.value, kind: form.kind.value, period: form.period.value.trim() || null,
    }, form.querySelector("button[type=submit]"), "figure added");
    if (!form.querySelector(".unsaved")) {
      form.hidden = true;
      const added = [...document.querySelectorAll("#items .item.mark-added")].pop();
      if (added) select(added.dataset.key);
    }
  });

  function offsetOf(node, offset) {
    const el = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest("[data-start]");
    return el ? Number(el.dataset.start) + (node.nodeType === Node.TEXT_NODE ? offset : 0) : null;
  }

  function offerFigure() {
    const form = document.getElementById("add-figure");
    const text = document.getElementById("article-text");
    const sel = getSelection();
    if (!form || !sel || sel.isCollapsed || !text.contains(sel.anchorNode) || !text.contains(sel.focusNode)) return;
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
    if (target.closest("#add-figure .cancel")) {
      document.getElementById("add-figure").hidden = true;
    } else if (target.id === "redraft") {
      try {
        await api("POST", `/api/articles/${id}/redraft`, { version, editor: editor() });
        location.reload();
      } catch (e) { say(e.message, true); }
    } else if (target.id === "approve") {
      const approved = !target.dataset.approved;
      try {
        await pending;
        await api("POST", `/api/articles/${id}/approve`, { version, editor: editor(), approved });
        say(approved ? "approved for publishing" : "approval withdrawn");
        await refresh();
      } catch (e) { say(`Not approved: ${e.message}`, true); }
    } else if (target.id === "gold") {
      try {
        const made = await api("POST", `/api/articles/${id}/gold`, { editor: editor() });
        say(`saved as gold: ${made.label}`);
        await refresh();
      } catch (e) { say(e.message, true); }
    } else if (target.id === "help-button") {
      document.getElementById("help").showModal();
    }
  });

  document.addEventListener("keydown", (event) => {
    const field = event.target.closest && event.target.closest("input, select, textarea");
    if (field) {
      if (field.closest(".list-tools") || field.id === "editor") return;
      const unit = field.closest("[data-whole]") || field;
      if (event.key === "Escape") {
        if (unit.classList.contains("unsaved")) revert(unit);
        else { field.blur(); select(currentKey); }
        event.preventDefault();
      } else if (event.key === "Enter" && field.tagName !== "TEXTAREA") {
        event.preventDefault();
        const form = field.closest("#add-figure");
        if (form) form.requestSubmit();
        else if (field.matches("[data-path]") || field.closest("[data-whole]")) saveField(field);
      }
      return;  // arrows in a list change its value and save it; focus stays in the field
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const list = items();
    const at = list.findIndex((el) => el.dataset.key === currentKey);
    switch (event.key) {
      case "j": case "ArrowDown": if (list.length) select(list[Math.min(at + 1, list.length - 1)].dataset.key); break;
      case "k": case "ArrowUp": if (list.length) select(list[Math.max(at - 1, 0)].dataset.key); break;
      case "a": mark("accepted", true); break;
      case "x": mark("rejected", true); break;
      case "u": mark("pending", false); break;
      case "e": itemOf(currentKey)?.querySelector("input, select, textarea")?.focus(); break;
      case "?": document.getElementById("help").showModal(); break;
      default: return;
    }
    event.preventDefault();
  });

  arrange();
  if (main.dataset.status === "queued" || main.dataset.status === "drafting") {
    const source = new EventSource(`/api/events?article=${encodeURIComponent(id)}`);
    source.onmessage = (event) => {
      const a = JSON.parse(event.data);
      if (a.status === "ready" || a.status === "failed") { source.close(); location.reload(); return; }
      const box = document.getElementById("progress");
      box.querySelector(".status").textContent = a.status;
      box.querySelector(".stage").textContent = a.stage ? `: ${a.stage}` : "";
      const bar = box.querySelector("progress");
      if (bar && a.progress && a.progress.done !== null) bar.value = a.progress.done;
      const left = box.querySelector(".left");
      if (left) left.textContent = describe(a).split(" · ").slice(2).join(" · ");
    };
  }
  watchQueue();
}

const main = document.getElementById("desk-main");
if (main) reviewPage(main);
else if (document.getElementById("inbox")) inbox();
