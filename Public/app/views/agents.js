// Agents (admins): who can sign in, with which role; add and disable.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, fill, announce } from "../dom.js";

export class AgentsView {
  constructor(app) {
    this.app = app;
  }

  render(main) {
    document.title = `${t("nav.agents")} · Ventana`;
    this.list = h("div", { id: "agent-list" });
    main.append(h("div", { class: "page" }, h("h1", {}, t("nav.agents")), this.list, this.form()));
    this.load();
  }

  async load() {
    let agents;
    try { agents = await api("GET", "/agents"); } catch (error) { fill(this.list, h("p", { class: "error-text" }, error.message)); return; }
    fill(this.list, h("table", {},
      h("thead", {}, h("tr", {}, ["agents.name", "agents.email", "agents.role", "templates.actions"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, agents.map((a) => h("tr", {},
        h("th", { scope: "row" }, a.name), h("td", {}, a.email), h("td", {}, t(`role.${a.role}`)),
        h("td", {}, a.id.toLowerCase() === this.app.me.id.toLowerCase() ? t("agents.you") : h("button", { type: "button", class: "danger", onclick: () => this.disable(a) }, t("agents.disable"))))))));
  }

  async disable(agent) {
    if (!confirm(t("agents.confirmDisable", { name: agent.name }))) return;
    try {
      await api("POST", `/agents/${agent.id}/disable`);
      announce(t("agents.disabled", { name: agent.name }));
      this.load();
    } catch (error) { announce(error.message, "error"); }
  }

  form() {
    const name = h("input", { id: "agent-name", required: true, maxlength: 100 });
    const email = h("input", { id: "agent-email", type: "email", required: true });
    const role = h("select", { id: "agent-role" }, ["agent", "supervisor", "admin"].map((r) => h("option", { value: r }, t(`role.${r}`))));
    const password = h("input", { id: "agent-password", type: "password", required: true, minlength: 8, autocomplete: "new-password" });
    const error = h("p", { class: "error-text", role: "alert" });
    const form = h("form", { class: "card" }, h("h2", {}, t("agents.add")),
      h("div", { class: "form-grid" },
        h("label", { for: "agent-name" }, t("agents.name"), name),
        h("label", { for: "agent-email" }, t("agents.email"), email),
        h("label", { for: "agent-role" }, t("agents.role"), role),
        h("label", { for: "agent-password" }, t("agents.password"), password)),
      error, h("button", { type: "submit", class: "primary" }, t("agents.create")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        await api("POST", "/agents", { body: { name: name.value.trim(), email: email.value.trim(), role: role.value, password: password.value } });
        announce(t("agents.created", { name: name.value.trim() }));
        form.reset();
        this.load();
      } catch (failure) { error.textContent = failure.message; }
    });
    return form;
  }
}
