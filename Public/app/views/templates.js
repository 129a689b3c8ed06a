// Templates: what Meta approved, paused or rejected (and why), category changes, variable
// bindings, create and submit, sync, delete.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, fill, announce } from "../dom.js";
import { time } from "../format.js";

const BINDINGS = ["contact_name", "contact_number", "agent_name"];

function statusName(status) {
  const name = t(`templateStatus.${status}`);
  return name === `templateStatus.${status}` ? status : name;
}

export class TemplatesView {
  constructor(app) {
    this.app = app;
  }

  render(main) {
    document.title = `${t("nav.templates")} · Ventana`;
    this.table = h("div", { id: "template-table" }, h("p", {}, t("chat.loading")));
    const sync = h("button", { type: "button", id: "sync", onclick: async () => {
      sync.disabled = true;
      try {
        const answer = await api("POST", "/templates/sync");
        announce(t("templates.synced", { n: answer.templates }));
        await this.load();
      } catch (error) { announce(error.message, "error"); }
      sync.disabled = false;
    } }, t("templates.sync"));
    main.append(h("div", { class: "page" },
      h("div", { class: "row" }, h("h1", {}, t("nav.templates")), sync),
      h("p", { class: "muted" }, t("templates.intro")),
      this.table,
      this.createForm()));
    this.load();
  }

  refresh() { this.load(); }

  async load() {
    let templates;
    try { templates = await api("GET", "/templates"); } catch (error) { fill(this.table, h("p", { class: "error-text" }, error.message)); return; }
    if (templates.length === 0) { fill(this.table, h("p", {}, t("templates.none"))); return; }
    fill(this.table, h("table", {},
      h("caption", { class: "visually-hidden" }, t("nav.templates")),
      h("thead", {}, h("tr", {}, ["templates.name", "templates.language", "templates.category", "templates.status", "templates.variables", "templates.actions"].map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, templates.map((x) => this.row(x)))));
  }

  row(x) {
    const category = [t(`category.${x.category.toLowerCase()}`)];
    if (x.category_change) category.push(h("p", { class: "warning" }, t("templates.categoryChanged", { from: t(`category.${x.category_change.from.toLowerCase()}`), at: time(x.category_change.at) })));
    const status = [h("span", { class: `badge ${x.status}` }, statusName(x.status))];
    if (x.rejected_reason && x.rejected_reason !== "NONE") status.push(h("p", { class: "error-text" }, t("templates.rejectedBecause", { reason: x.rejected_reason })));
    if (x.quality) status.push(h("p", { class: "muted" }, t("templates.quality", { quality: x.quality })));
    const bindings = [];
    for (let position = 1; position <= x.variables; position++) {
      const select = h("select", { "aria-label": t("templates.bindingFor", { n: position, name: x.name }), dataset: { position } },
        h("option", { value: "" }, t("binding.typed")),
        BINDINGS.map((binding) => h("option", { value: binding, selected: x.bindings?.[String(position)] === binding }, t(`binding.${binding}`))));
      select.addEventListener("change", () => this.bind(x, bindings.map((b) => b.querySelector("select"))));
      bindings.push(h("label", { class: "check" }, `{{${position}}}`, select));
    }
    return h("tr", { dataset: { name: x.name, language: x.language } },
      h("th", { scope: "row" }, x.name, h("p", { class: "muted" }, x.body ?? "")),
      h("td", {}, x.language),
      h("td", {}, category),
      h("td", {}, status),
      h("td", {}, bindings.length ? bindings : "—"),
      h("td", {}, h("button", { type: "button", class: "danger", onclick: () => this.remove(x) }, t("templates.delete"))));
  }

  async bind(x, selects) {
    const bindings = {};
    for (const select of selects) if (select.value) bindings[select.dataset.position] = select.value;
    try {
      await api("PUT", `/templates/${encodeURIComponent(x.name)}/bindings?language=${encodeURIComponent(x.language)}`, { body: { bindings } });
      announce(t("templates.bound"));
    } catch (error) { announce(error.message, "error"); }
  }

  async remove(x) {
    if (!confirm(t("templates.confirmDelete", { name: x.name, language: x.language }))) return;
    try {
      await api("DELETE", `/templates/${encodeURIComponent(x.name)}?language=${encodeURIComponent(x.language)}`);
      announce(t("templates.deleted"));
      await this.load();
    } catch (error) { announce(error.message, "error"); }
  }

  createForm() {
    const field = (id, label, input) => h("label", { for: id }, label, input);
    const name = h("input", { id: "new-name", required: true, pattern: "[a-z0-9_]+", maxlength: 512 });
    const language = h("input", { id: "new-language", required: true, value: "es", maxlength: 10 });
    const category = h("select", { id: "new-category" }, ["UTILITY", "MARKETING", "AUTHENTICATION"].map((c) => h("option", { value: c }, t(`category.${c.toLowerCase()}`))));
    const header = h("input", { id: "new-header", maxlength: 60 });
    const body = h("textarea", { id: "new-body", required: true, rows: 4, maxlength: 1024 });
    const footer = h("input", { id: "new-footer", maxlength: 60 });
    const buttons = h("input", { id: "new-buttons" });
    const examples = h("input", { id: "new-examples" });
    const error = h("p", { class: "error-text", role: "alert", id: "create-error" });
    const form = h("form", { class: "card", id: "create-template" },
      h("h2", {}, t("templates.create")),
      h("div", { class: "form-grid" },
        field("new-name", t("templates.name"), name),
        field("new-language", t("templates.language"), language),
        field("new-category", t("templates.category"), category),
        field("new-header", t("templates.header"), header),
        h("label", { for: "new-body", class: "wide" }, t("templates.body"), body),
        field("new-footer", t("templates.footer"), footer),
        field("new-buttons", t("templates.buttons"), buttons),
        field("new-examples", t("templates.examples"), examples)),
      error,
      h("button", { type: "submit", class: "primary" }, t("templates.submit")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const split = (value) => value.split(",").map((s) => s.trim()).filter(Boolean);
      const input = {
        name: name.value.trim(), language: language.value.trim(), category: category.value, body: body.value,
        header: header.value.trim() || null, footer: footer.value.trim() || null,
        buttons: split(buttons.value).map((text) => ({ type: "QUICK_REPLY", text })),
        examples: split(examples.value),
      };
      try {
        await api("POST", "/templates", { body: input });
        announce(t("templates.submitted", { name: input.name }));
        form.reset();
        await this.load();
      } catch (failure) {
        error.textContent = failure.message;
      }
    });
    return form;
  }
}
