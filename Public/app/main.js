// The console's entry: sign-in, the shell (navigation, notifications, language), the router.
import { api, token, setToken, whenUnauthorized } from "./api.js";
import { t, language, setLanguage, languages } from "./i18n.js";
import { h, fill, icon, announce } from "./dom.js";
import { Stream } from "./stream.js";
import { Notifications } from "./notifications.js";
import { renderLogin } from "./views/login.js";
import { InboxView } from "./views/inbox.js";
import { TemplatesView } from "./views/templates.js";
import { SpendView } from "./views/spend.js";
import { SettingsView } from "./views/settings.js";
import { AgentsView } from "./views/agents.js";
import { forgetTemplates } from "./views/resume.js";

const root = document.getElementById("app");

/** What every view shares: the signed-in agent, the stream, the router. */
const app = {
  me: null,
  stream: null,
  view: null,
  notifications: null,
  navigate(hash) { if (location.hash !== hash) location.hash = hash; else route(); },
};

const pages = [
  { id: "inbox", label: "nav.inbox" },
  { id: "ongoing", label: "nav.ongoing" },
  { id: "all", label: "nav.all" },
  { id: "templates", label: "nav.templates", roles: ["admin", "supervisor"] },
  { id: "spend", label: "nav.spend", roles: ["admin", "supervisor"] },
  { id: "settings", label: "nav.settings", roles: ["admin", "supervisor"] },
  { id: "agents", label: "nav.agents", roles: ["admin"] },
];

function allowed(page) {
  return !page.roles || page.roles.includes(app.me?.role);
}

async function boot() {
  document.documentElement.lang = language();
  document.querySelector(".skip-link").textContent = t("skip");
  whenUnauthorized(() => signOut(false));
  if (!token()) return showLogin();
  try {
    app.me = await api("GET", "/me");
  } catch {
    return showLogin();
  }
  showShell();
}

function showLogin() {
  // Nothing of the previous agent survives: stream, notifications, caches, open dialogs.
  app.stream?.stop();
  app.stream = null;
  app.notifications = null;
  app.view?.leave?.();
  app.view = null;
  current = "";
  forgetTemplates();
  for (const dialog of document.querySelectorAll("dialog")) dialog.remove();
  document.getElementById("toasts")?.replaceChildren();
  app.me = null;
  root.removeAttribute("aria-busy");
  renderLogin(root, async (me) => {
    app.me = me;
    showShell();
  });
}

async function signOut(callServer = true) {
  if (callServer) { try { await api("POST", "/auth/logout"); } catch { /* already gone */ } }
  setToken(null);
  history.replaceState(null, "", "/");
  showLogin();
}

function showShell() {
  root.removeAttribute("aria-busy");
  document.title = "Ventana";
  const nav = h("nav", { "aria-label": t("nav.label") },
    h("ul", {}, pages.filter(allowed).map((page) =>
      h("li", {}, h("a", { href: `#/${page.id}`, dataset: { page: page.id } }, t(page.label))))));
  const bell = h("button", { type: "button", class: "bell", "aria-expanded": "false", "aria-controls": "notifications" },
    icon("bell"), h("span", { class: "visually-hidden" }, t("notifications.title")), h("span", { id: "notification-count", class: "count", hidden: true }));
  const languageSelect = h("select", { id: "language", "aria-label": t("language.label") },
    languages.map((code) => h("option", { value: code, selected: code === language() }, t(`language.${code}`))));
  languageSelect.addEventListener("change", () => {
    setLanguage(languageSelect.value);
    document.querySelector(".skip-link").textContent = t("skip");
    current = "";
    showShell();
    document.getElementById("language")?.focus();
  });
  const panel = h("div", { id: "notifications", class: "notifications", hidden: true, role: "region", "aria-label": t("notifications.title") });
  app.notifications = app.notifications ?? new Notifications(app);
  app.notifications.attach(panel, bell);
  bell.addEventListener("click", () => app.notifications.toggle());
  const header = h("header", { class: "topbar" },
    h("a", { class: "brand", href: "#/inbox" }, icon("logo"), "Ventana"),
    nav,
    h("div", { class: "tools" },
      bell,
      languageSelect,
      h("span", { class: "who" }, app.me.name, " · ", t(`role.${app.me.role}`)),
      h("button", { type: "button", id: "sign-out", onclick: () => signOut() }, t("auth.signOut"))));
  const main = h("main", { id: "main", tabindex: "-1" });
  fill(root, header, panel, main);
  if (!app.stream) {
    app.stream = new Stream({
      onEvent: (event) => {
        app.notifications.hear(event);
        app.view?.onEvent?.(event);
      },
      onConnected: () => { root.dataset.live = "true"; app.view?.refresh?.(); },
      onDisconnected: () => { root.dataset.live = "false"; },
    });
    app.stream.start();
  }
  if (!location.hash || location.hash === "#") history.replaceState(null, "", "#/inbox");
  route(true);
}

let current = "";
function route(force = false) {
  if (!app.me) return;
  const main = document.getElementById("main");
  if (!main) return;
  const [, page = "inbox", id] = location.hash.split("/");
  const key = `${page}`;
  for (const link of document.querySelectorAll("nav a[data-page]")) {
    if (link.dataset.page === page) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  const known = pages.find((p) => p.id === page);
  if (!known || !allowed(known)) return app.navigate("#/inbox");
  if (!force && key === current && app.view?.select) {
    app.view.select(id ?? null);
    return;
  }
  current = key;
  app.view?.leave?.();
  const View = { inbox: InboxView, ongoing: InboxView, all: InboxView, templates: TemplatesView, spend: SpendView, settings: SettingsView, agents: AgentsView }[page];
  app.view = new View(app, page, id ?? null);
  fill(main);
  app.view.render(main);
}

window.addEventListener("hashchange", () => route());
boot();
