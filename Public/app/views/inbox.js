// Inbox, Ongoing and All: chats in urgency order beside the open chat.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, fill, icon, announce } from "../dom.js";
import { learn, secondsUntil } from "../clock.js";
import { duration, shortTime, phone } from "../format.js";
import { ChatPane } from "./chat.js";

const STATES = ["open", "expiring", "expired", "resuming", "awaiting_reply"];

/** The state's icon and words, the same everywhere. */
export function stateBadge(state) {
  return h("span", { class: `state-label state-${state}`, dataset: { state } },
    t(`state.${state}`));
}

/** "42 min left" (live) for an open window, or when it closed. */
export function countdown(session) {
  if (session.state === "open" || session.state === "expiring") {
    return h("span", { class: "countdown", dataset: { expires: session.expires_at } }, t("session.left", { time: duration(secondsUntil(session.expires_at)) }));
  }
  return h("span", { class: "countdown" }, session.expires_at ? t("session.closedAt", { time: shortTime(session.expires_at) }) : "");
}

/** Moves every live countdown on the page; called each second. */
export function tickCountdowns() {
  for (const element of document.querySelectorAll("[data-expires]")) {
    const left = secondsUntil(element.dataset.expires);
    element.textContent = element.dataset.format === "banner"
      ? duration(left)
      : t("session.left", { time: duration(left) });
  }
}

export class InboxView {
  constructor(app, view, selected) {
    this.app = app;
    this.view = view;
    this.selected = selected;
    this.items = [];
    this.cursor = null;
    this.state = "";
    this.query = "";
    this.timer = null;
    this.chat = null;
  }

  render(main) {
    document.title = `${t(`nav.${this.view}`)} · Ventana`;
    const stateFilter = h("select", { id: "state-filter" },
      h("option", { value: "" }, t("filter.anyState")),
      STATES.map((state) => h("option", { value: state }, t(`state.${state}`))));
    stateFilter.value = this.state;
    stateFilter.addEventListener("change", () => { this.state = stateFilter.value; this.load(); });
    const search = h("input", { id: "search", type: "search", placeholder: t("filter.searchPlaceholder") });
    search.addEventListener("input", () => {
      clearTimeout(this.searching);
      this.searching = setTimeout(() => { this.query = search.value.trim(); this.load(); }, 250);
    });
    this.list = h("ol", { id: "chat-list", "aria-label": t(`nav.${this.view}`) });
    this.more = h("button", { type: "button", class: "more", hidden: true, onclick: () => this.load(true) }, t("list.more"));
    this.pane = h("section", { class: "chat", id: "chat", "aria-label": t("chat.label") });
    this.workspace = h("div", { class: "workspace" },
      h("section", { class: "chatlist", "aria-labelledby": "list-title" },
        h("h1", { id: "list-title", class: "visually-hidden" }, t(`nav.${this.view}`)),
        h("div", { class: "filters" },
          h("label", { class: "search" }, t("filter.search"), search),
          h("label", {}, t("filter.state"), stateFilter)),
        this.list, this.more),
      this.pane);
    main.append(this.workspace);
    this.load();
    this.select(this.selected);
    this.timer = setInterval(() => tickCountdowns(), 1000);
    // The list is re-read on events; this catches what no event announces (a moved sandbox clock).
    this.refresher = setInterval(() => this.load(), 30000);
  }

  leave() {
    clearInterval(this.timer);
    clearInterval(this.refresher);
    clearTimeout(this.pendingList);
    clearTimeout(this.pendingChat);
    clearTimeout(this.searching);
    this.chat?.leave();
  }

  refresh() {
    this.load();
    this.chat?.load();
  }

  async load(more = false) {
    const ticket = (this.loads = (this.loads ?? 0) + 1);
    const query = new URLSearchParams({ view: this.view });
    // A refresh re-reads as many chats as are shown, so "Show more" pages are kept.
    if (!more && this.items.length > 50) query.set("limit", String(Math.min(this.items.length, 200)));
    if (this.state) query.set("state", this.state);
    if (this.query) query.set("q", this.query);
    if (more && this.cursor) query.set("cursor", this.cursor);
    let page;
    try {
      page = await api("GET", `/conversations?${query}`);
    } catch (error) {
      announce(error.message, "error");
      return;
    }
    if (ticket !== this.loads) return;
    learn(page.now);
    this.items = more ? this.items.concat(page.items) : page.items;
    this.cursor = page.next_cursor ?? null;
    this.more.hidden = !this.cursor;
    this.app.notifications?.remember(page.items);
    this.draw();
  }

  draw() {
    if (this.items.length === 0) {
      fill(this.list, h("li", { class: "empty" }, t(this.query || this.state ? "list.noMatch" : `list.empty.${this.view}`)));
      return;
    }
    fill(this.list, this.items.map((c) => h("li", { dataset: { id: c.id, state: c.session.state } },
      h("a", { href: `#/${this.view}/${c.id}`, "aria-current": c.id === this.selected ? "true" : "false" },
        c.session.state === "open" ? icon("open") : icon(c.session.state),
        h("span", { class: "name" }, c.contact.name || phone(c.contact.wa_id)),
        h("span", { class: "when" }, shortTime(c.last_message_at)),
        h("span", { class: "sub" },
          h("span", {}, stateBadge(c.session.state), " ", countdown(c.session)),
          h("span", {}, c.assignee ? c.assignee.name : t("chat.unassigned")))))));
  }

  select(id) {
    this.selected = id;
    for (const link of this.list?.querySelectorAll("a") ?? []) {
      link.setAttribute("aria-current", link.getAttribute("href").endsWith(`/${id}`) ? "true" : "false");
    }
    this.workspace?.classList.toggle("chat-open", Boolean(id));
    this.chat?.leave();
    this.chat = null;
    if (!id) {
      fill(this.pane, h("p", { class: "chat-empty" }, t("chat.choose")));
      return;
    }
    this.chat = new ChatPane(this.app, id, this.view, () => this.load());
    this.chat.render(this.pane);
  }

  onEvent(event) {
    // A burst of events is one reload, at most 300 ms after the first of them.
    this.pendingList = this.pendingList ?? setTimeout(() => { this.pendingList = null; this.load(); }, 300);
    if (this.chat && event.conversation_id.toLowerCase() === this.chat.id.toLowerCase()) {
      const chat = this.chat;
      this.pendingChat = this.pendingChat ?? setTimeout(() => { this.pendingChat = null; chat.load(); }, 150);
    }
  }
}
