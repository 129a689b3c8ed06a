// One chat: who, its state in plain words, every message, the composer (locked when the
// window is closed) and Resume.
import { api, idempotencyKey } from "../api.js";
import { t } from "../i18n.js";
import { h, fill, icon, announce } from "../dom.js";
import { learn, secondsUntil } from "../clock.js";
import { duration, time, shortTime, phone, money } from "../format.js";
import { stateBadge } from "./inbox.js";
import { ResumeDialog, retryLastSend, quoteSummary, defaultTemplate, explainFailure, sendFailure } from "./resume.js";

const TICKS = { queued: "◷", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "!" };

export class ChatPane {
  constructor(app, id, view, changed) {
    this.app = app;
    this.id = id;
    this.view = view;
    this.changed = changed;
    this.conversation = null;
    this.messages = [];
    this.cursor = null;
    this.draft = "";
  }

  render(pane) {
    this.pane = pane;
    fill(pane, h("p", { class: "chat-empty" }, t("chat.loading")));
    this.load();
  }

  leave() {
    this.left = true;
  }

  async load() {
    // Only the newest answer is drawn: an older one landing late must not undo a newer state.
    const ticket = (this.loads = (this.loads ?? 0) + 1);
    let conversation, page;
    try {
      [conversation, page] = await Promise.all([
        api("GET", `/conversations/${this.id}`),
        api("GET", `/conversations/${this.id}/messages?limit=100`),
      ]);
    } catch (error) {
      if (!this.left) fill(this.pane, h("p", { class: "chat-empty error-text", role: "alert" }, error.status === 403 ? t("chat.forbidden") : error.message));
      return;
    }
    if (this.left || ticket !== this.loads) return;
    if (conversation.session.expires_at && conversation.session.seconds_left > 0) {
      learn(new Date(Date.parse(conversation.session.expires_at) - conversation.session.seconds_left * 1000).toISOString());
    }
    this.tellScreenReaders(conversation, page.items);
    this.conversation = conversation;
    this.messages = page.items.slice().reverse();
    this.cursor = page.next_cursor ?? null;
    this.draw();
  }

  async loadEarlier() {
    if (!this.cursor) return;
    const page = await api("GET", `/conversations/${this.id}/messages?limit=100&cursor=${encodeURIComponent(this.cursor)}`);
    this.messages = page.items.slice().reverse().concat(this.messages);
    this.cursor = page.next_cursor ?? null;
    this.draw(false);
  }

  get name() {
    const c = this.conversation.contact;
    return c.name || phone(c.wa_id);
  }

  draw(scroll = true) {
    const c = this.conversation;
    const hadFocus = document.activeElement?.id;
    // The composer is rebuilt only when what it allows changes: a reply being typed is never
    // interrupted by a delivery tick or a new message.
    const key = JSON.stringify([c.session.state, c.session.failure?.code, c.session.can_send_text, c.session.can_resume, c.session.expires_at]);
    if (key !== this.composerKey || !this.composerElement) {
      const typing = this.composerElement?.querySelector("#composer-text");
      if (typing && !typing.disabled) this.draft = typing.value;
      this.composerElement = this.composer();
      this.composerKey = key;
    }
    // Likewise the header: a hand-over being chosen survives live updates.
    const headerKey = JSON.stringify([c.assignee?.id, c.closed, c.session.state, c.contact.name]);
    if (headerKey !== this.headerKey || !this.headerElement) {
      this.headerElement = this.header();
      this.headerKey = headerKey;
    }
    fill(this.pane,
      this.headerElement,
      this.banner(),
      this.messageList(),
      this.composerElement,
      this.liveRegion());
    const list = this.pane.querySelector(".messages");
    if (scroll && list) list.scrollTop = list.scrollHeight;
    if (hadFocus) document.getElementById(hadFocus)?.focus();
    this.pane.dataset.state = c.session.state;
  }

  header() {
    const c = this.conversation;
    const me = this.app.me;
    const mine = c.assignee?.id?.toLowerCase() === me.id.toLowerCase();
    const seesAll = me.role !== "agent";
    const actions = h("div", { class: "actions" });
    if (!mine) actions.append(h("button", { type: "button", id: "take", onclick: () => this.route("take") }, t("chat.take")));
    if (mine || seesAll) {
      const select = h("select", { id: "assign-to", "aria-label": t("chat.handTo") }, h("option", { value: "" }, t("chat.toInbox")));
      this.agents = this.agents ?? api("GET", "/agents");
      this.agents.then((agents) => {
        for (const agent of agents) {
          if (agent.id.toLowerCase() !== c.assignee?.id?.toLowerCase()) select.append(h("option", { value: agent.id }, agent.name));
        }
      }).catch(() => {});
      actions.append(select, h("button", { type: "button", id: "assign", onclick: () => this.route("assign", { agent_id: select.value || null }) }, t("chat.hand")));
      if (!c.closed) actions.append(h("button", { type: "button", id: "close", class: "danger", onclick: () => this.route("close") }, t("chat.close")));
    }
    return h("header", {},
      h("a", { class: "back", href: `#/${this.view}` }, "← ", t("chat.back")),
      h("div", { class: "who" },
        h("h2", { id: "chat-title" }, this.name),
        h("span", { class: "muted" }, phone(c.contact.wa_id), " · ", c.contact.country, " · ",
          c.assignee ? t("chat.assignedTo", { name: c.assignee.name }) : t("chat.unassigned"), c.closed ? ` · ${t("chat.closed")}` : "")),
      stateBadge(c.session.state),
      actions);
  }

  async route(action, body) {
    try {
      await api("POST", `/conversations/${this.id}/${action}`, { body: body ?? {} });
      announce(t(`chat.done.${action}`));
      await this.load();
      this.changed();
    } catch (error) {
      announce(error.message, "error");
    }
  }

  banner() {
    const c = this.conversation, s = c.session;
    const parts = [];
    switch (s.state) {
      case "open":
        parts.push(t("banner.open.before"), h("strong", { dataset: { expires: s.expires_at, format: "banner" } }, duration(secondsUntil(s.expires_at))), t("banner.open.after"));
        break;
      case "expiring":
        parts.push(t("banner.expiring.before"), h("strong", { dataset: { expires: s.expires_at, format: "banner" } }, duration(secondsUntil(s.expires_at))), t("banner.expiring.after", { name: this.name }));
        break;
      case "expired":
        parts.push(t("banner.expired", { time: time(s.expires_at) }));
        break;
      case "resuming":
        if (s.failure) {
          parts.push(h("strong", {}, t("banner.failed")), " ", explainFailure(s.failure), " ");
          parts.push(h("button", { type: "button", id: "retry", class: "primary", disabled: this.retrying, onclick: () => this.retry() }, t("banner.retry")));
        } else {
          parts.push(t("banner.resuming"));
        }
        break;
      case "awaiting_reply":
        parts.push(t("banner.awaiting", { name: this.name }));
        break;
    }
    // Not a live region: its countdown changes every second. State changes are announced apart.
    return h("div", { class: `banner ${s.state}`, id: "banner" },
      s.state === "open" ? icon("open") : icon(s.state), h("p", {}, parts));
  }

  messageList() {
    const list = h("ol", { class: "messages", role: "log", "aria-label": t("chat.messages") });
    if (this.cursor) list.append(h("li", { class: "more" }, h("button", { type: "button", onclick: () => this.loadEarlier() }, t("chat.earlier"))));
    if (this.messages.length === 0) list.append(h("li", { class: "muted" }, t("chat.noMessages")));
    for (const m of this.messages) list.append(this.bubble(m));
    return list;
  }

  bubble(m) {
    const content = [h("span", { class: "visually-hidden" }, m.direction === "inbound" ? t("message.from", { name: this.name }) : t("message.fromUs"))];
    if (m.template) content.push(h("span", { class: "template-tag" }, t("message.template", { name: m.template.name, language: m.template.language })));
    const label = kindLabel(m.kind);
    if (label) content.push(h("span", { class: "kind" }, label));
    if (m.text) content.push(h("span", { class: "text" }, m.text));
    else if (!label) content.push(h("span", { class: "kind" }, t("kind.empty")));
    const meta = h("span", { class: "meta" }, h("time", { datetime: m.at }, shortTime(m.at)));
    if (m.direction === "outbound") {
      meta.append(h("span", { class: `ticks ${m.status}`, title: t(`status.${m.status}`) }, TICKS[m.status] ?? ""),
        h("span", { class: "visually-hidden" }, t(`status.${m.status}`)));
      if (m.cost && m.kind === "template") {
        meta.append(h("span", {}, m.status === "failed" ? t("cost.notCharged") : m.cost.free_reason ? t("cost.free") : money(m.cost.amount, m.cost.currency)));
      }
    }
    content.push(meta);
    if (m.failure) content.push(h("span", { class: "failure" }, explainFailure(m.failure)));
    return h("li", { class: `${m.direction} ${m.status === "failed" ? "failed" : ""}`, dataset: { kind: m.kind, status: m.status } }, content);
  }

  composer() {
    const s = this.conversation.session;
    const box = h("div", { class: "composer", id: "composer" });
    const cost = h("p", { class: "cost", id: "next-cost" });
    box.append(cost);
    if (s.can_send_text) {
      cost.append(t("cost.nextFree.before"), h("span", { dataset: { expires: s.expires_at, format: "banner" } }, duration(secondsUntil(s.expires_at))), t("cost.nextFree.after"));
      const text = h("textarea", { id: "composer-text", rows: 2, maxlength: 4096, "aria-label": t("composer.label"), placeholder: t("composer.placeholder") });
      text.value = this.draft;
      const send = h("button", { type: "submit", class: "primary", id: "send" }, t("composer.send"));
      const form = h("form", {}, text, send);
      text.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !this.sending) form.requestSubmit();
      });
      form.addEventListener("submit", (event) => { event.preventDefault(); this.sendText(text, send); });
      box.append(form);
    } else {
      const reason = s.state === "resuming" && s.failure ? "lock.failed" : `lock.${s.state}`;
      box.append(h("p", { class: "lock", id: "lock-reason" }, icon("lock"), t(reason, { name: this.name })));
      const text = h("textarea", { id: "composer-text", rows: 2, disabled: true, "aria-label": t("composer.label"), "aria-describedby": "lock-reason" });
      const form = h("form", {}, text);
      if (s.can_resume) form.append(h("button", { type: "button", class: "primary", id: "resume", onclick: () => this.resume() }, t("resume.open")));
      box.append(form);
      cost.textContent = t("cost.template");
      defaultTemplate(this.conversation).then(async (template) => {
        if (!template || this.left) return;
        const quote = await api("GET", `/pricing/quote?${new URLSearchParams({ wa_id: this.conversation.contact.wa_id, template: template.name, language: template.language, conversation_id: this.id })}`);
        cost.textContent = t("cost.nextTemplate", { template: template.name, price: quoteSummary(quote) });
      }).catch(() => {});
    }
    return box;
  }

  async sendText(text, button) {
    if (this.sending) return;
    const body = text.value.trim();
    if (!body) { announce(t("composer.empty"), "error"); return; }
    this.sending = true;
    button.disabled = true;
    try {
      await api("POST", `/conversations/${this.id}/messages`, { body: { text: body }, headers: { "Idempotency-Key": idempotencyKey() } });
      text.value = "";
      this.draft = "";
      text.focus();
      await this.load();
      this.changed();
    } catch (error) {
      if (error.status === 502 && error.body?.failure) text.value = "";
      announce(error.code === "session_expired" ? t("composer.expired") : sendFailure(error), "error");
      await this.load();
    } finally {
      this.sending = false;
      button.disabled = false;
    }
  }

  resume(prefill) {
    new ResumeDialog(this.app, this.conversation, {
      prefill,
      onSent: async () => { await this.load(); this.changed(); },
    }).open();
  }

  async retry() {
    if (this.retrying) return;
    this.retrying = true;
    this.pane.querySelector("#retry")?.setAttribute("disabled", "");
    try {
      const failed = [...this.messages].reverse().find((m) => m.kind === "template" && m.status === "failed");
      if (await retryLastSend(this.conversation)) {
        await this.load();
        this.changed();
        return;
      }
      this.resume(failed?.template);
    } finally {
      this.retrying = false;
    }
  }

  /** A polite live region: the chat's state when it changes, and a contact's new message. */
  liveRegion() {
    this.live = this.live ?? h("p", { class: "visually-hidden", role: "status", id: "chat-live" });
    return this.live;
  }

  tellScreenReaders(conversation, newestFirst) {
    const before = this.conversation;
    if (!before || !this.live) return;
    const said = [];
    if (before.session.state !== conversation.session.state) said.push(t(`state.${conversation.session.state}`));
    const known = new Set(this.messages.map((m) => m.id));
    const fresh = newestFirst.filter((m) => m.direction === "inbound" && !known.has(m.id));
    if (fresh.length) said.push(t("message.newFrom", { name: this.name }));
    if (said.length) this.live.textContent = said.join(". ");
  }
}

function kindLabel(kind) {
  const known = ["image", "video", "audio", "document", "sticker", "location", "contacts", "interactive", "button", "reaction", "order", "system", "unsupported"];
  if (kind === "text" || kind === "template") return null;
  return known.includes(kind) ? t(`kind.${kind}`) : t("kind.unknown", { kind });
}
