// Notifications: the assigned agent (or every agent, for inbox chats) is told when a chat is
// about to expire, has expired, a template failed, or a contact answered a template. The
// server sends each agent only the events it may see; this turns them into sentences.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { h, fill, announce } from "./dom.js";
import { time } from "./format.js";
import { explainFailure } from "./views/resume.js";

export class Notifications {
  constructor(app) {
    this.app = app;
    this.items = [];
    this.unread = 0;
    /** The last state seen per chat, to tell "answered a template" from "wrote again". */
    this.known = new Map();
  }

  attach(panel, bell) {
    this.panel = panel;
    this.bell = bell;
    this.render();
  }

  /** Remembers chats' states and names as lists show them. */
  remember(conversations) {
    this.names = this.names ?? new Map();
    for (const c of conversations) {
      this.known.set(c.id, c.session.state);
      this.names.set(c.id, c.contact.name || `+${c.contact.wa_id}`);
    }
  }

  toggle() {
    const open = this.panel.hidden;
    this.panel.hidden = !open;
    this.bell.setAttribute("aria-expanded", String(open));
    if (open) { this.unread = 0; this.render(); this.panel.querySelector("a")?.focus(); }
  }

  async hear(event) {
    if (event.kind !== "session.changed") return;
    // Told to the chat's agent, or to everyone while it is in the inbox (supervisors receive
    // every event, but are notified like agents).
    const mine = !event.assignee_id || event.assignee_id.toLowerCase() === this.app.me.id.toLowerCase();
    const before = this.known.get(event.conversation_id);
    this.known.set(event.conversation_id, event.state);
    if (!mine) return;
    let key = null;
    if (event.state === "expiring") key = "notify.expiring";
    else if (event.state === "expired") key = "notify.expired";
    else if (event.state === "resuming" && event.failure_code) key = "notify.failed";
    else if (event.state === "open" && (before === "awaiting_reply" || before === "resuming")) key = "notify.answered";
    else if (event.state === "open" && before === "expired") key = "notify.returned";
    else if (event.state === "awaiting_reply" && before === "resuming") key = "notify.sent";
    else if (event.state === "open" && before === undefined) key = "notify.newChat";
    if (!key) return;
    this.names = this.names ?? new Map();
    let name = this.names.get(event.conversation_id);
    if (!name) {
      try {
        const conversation = await api("GET", `/conversations/${event.conversation_id}`);
        name = conversation.contact.name || `+${conversation.contact.wa_id}`;
        this.names.set(event.conversation_id, name);
      } catch {
        return;  // no longer visible to this agent
      }
    }
    let reason = "";
    if (event.failure_code) {
      try {
        reason = explainFailure((await api("GET", `/conversations/${event.conversation_id}`)).session.failure ?? { code: event.failure_code, reason: "", next_step: "" });
      } catch { /* the name is enough */ }
    }
    const text = t(key, { name, reason });
    this.items.unshift({ text, at: event.at, id: event.conversation_id, state: event.state });
    this.items = this.items.slice(0, 50);
    this.unread += 1;
    this.render();
    // A new chat is in the list and the bell; the rest also pops up, as it needs acting on.
    if (key !== "notify.newChat") announce(text, key === "notify.failed" ? "error" : "info");
  }

  render() {
    if (!this.panel) return;
    const count = document.getElementById("notification-count");
    if (count) { count.hidden = this.unread === 0; count.textContent = String(this.unread); }
    this.bell.setAttribute("aria-label", t("notifications.unread", { n: this.unread }));
    fill(this.panel,
      h("h2", { class: "visually-hidden" }, t("notifications.title")),
      this.items.length === 0
        ? h("p", { class: "muted" }, t("notifications.none"))
        : h("ol", {}, this.items.map((item) =>
          h("li", {},
            h("a", { href: `#/all/${item.id}` }, item.text), h("br"), h("small", { class: "muted" }, time(item.at))))));
  }
}
