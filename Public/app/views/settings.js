// Settings: the warning lead and pricing model in force, monthly budgets, rate cards.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, fill, announce } from "../dom.js";

export class SettingsView {
  constructor(app) {
    this.app = app;
  }

  render(main) {
    document.title = `${t("nav.settings")} · Ventana`;
    this.installation = h("section", { class: "card", id: "installation" }, h("h2", {}, t("settings.installation")));
    this.budgets = h("section", { class: "card", id: "budgets" }, h("h2", {}, t("settings.budgets")));
    this.cards = h("section", { class: "card", id: "rate-cards" }, h("h2", {}, t("settings.rateCards")));
    main.append(h("div", { class: "page" }, h("h1", {}, t("nav.settings")), this.installation, this.budgets, this.cards));
    this.load();
  }

  async load() {
    const admin = this.app.me.role === "admin";
    try {
      const [settings, budgets, cards, agents] = await Promise.all([
        api("GET", "/settings"), api("GET", "/budgets"), api("GET", "/rate-cards"), api("GET", "/agents"),
      ]);
      const parts = [h("h2", {}, t("settings.installation")),
        h("dl", {},
          h("dt", {}, t("settings.warningLead")), h("dd", { id: "warning-lead" }, t("settings.minutes", { n: settings.warning_minutes })),
          h("dt", {}, t("settings.pricingModel")), h("dd", {}, t(`settings.model.${settings.pricing_model}`)),
          h("dt", {}, t("settings.provider")), h("dd", {}, t(`settings.provider.${settings.provider}`)))];
      if (admin) {
        const minutes = h("input", { id: "warning-minutes", type: "number", min: 1, max: 1439, required: true, value: settings.warning_minutes });
        const error = h("p", { class: "error-text", role: "alert" });
        const form = h("form", { class: "row", id: "warning-form" },
          h("label", { for: "warning-minutes" }, t("settings.changeLead"), minutes),
          h("button", { type: "submit", class: "primary" }, t("settings.saveLead")), error);
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          error.textContent = "";
          try {
            await api("PUT", "/settings", { body: { warning_minutes: Number(minutes.value) } });
            announce(t("settings.leadSaved", { n: minutes.value }));
            this.load();
          } catch (failure) { error.textContent = failure.message; }
        });
        parts.push(form);
      }
      parts.push(h("p", { class: "muted" }, t("settings.fromEnvironment")));
      fill(this.installation, parts);
      this.drawBudgets(budgets, agents, admin);
      this.drawCards(cards, admin);
    } catch (error) {
      announce(error.message, "error");
    }
  }

  drawBudgets(budgets, agents, admin) {
    const nameOf = (id) => id ? agents.find((a) => a.id.toLowerCase() === id.toLowerCase())?.name ?? id : t("settings.wholeInstallation");
    const table = budgets.length === 0 ? h("p", { class: "muted" }, t("settings.noBudgets")) : h("table", {},
      h("thead", {}, h("tr", {}, ["settings.for", "settings.monthly", "settings.spent", "settings.left"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, budgets.map((b) => h("tr", {}, h("th", { scope: "row" }, nameOf(b.agent_id)),
        h("td", {}, `${b.monthly_amount} ${b.currency}`), h("td", {}, `${b.spent} ${b.currency}`), h("td", {}, `${b.remaining} ${b.currency}`)))));
    const parts = [h("h2", {}, t("settings.budgets")), table];
    if (admin) {
      const who = h("select", { id: "budget-agent" }, h("option", { value: "" }, t("settings.wholeInstallation")), agents.map((a) => h("option", { value: a.id }, a.name)));
      const amount = h("input", { id: "budget-amount", inputmode: "decimal", placeholder: "100.00" });
      const form = h("form", { class: "row" },
        h("label", { for: "budget-agent" }, t("settings.for"), who),
        h("label", { for: "budget-amount" }, t("settings.monthly"), amount),
        h("button", { type: "submit", class: "primary" }, t("settings.saveBudget")));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          await api("PUT", "/budgets", { body: { agent_id: who.value || null, monthly_amount: amount.value.trim() || null } });
          announce(t("settings.budgetSaved"));
          this.load();
        } catch (error) { announce(error.message, "error"); }
      });
      parts.push(form, h("p", { class: "muted" }, t("settings.clearBudget")));
    }
    fill(this.budgets, parts);
  }

  drawCards(cards, admin) {
    const parts = [h("h2", {}, t("settings.rateCards")), h("table", {},
      h("thead", {}, h("tr", {}, ["settings.effective", "settings.currency", "settings.markets", "settings.source"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, cards.map((c) => h("tr", {}, h("th", { scope: "row" }, c.effective_from, c.in_force ? ` (${t("settings.inForce")})` : ""),
        h("td", {}, c.currency), h("td", {}, String(c.markets)), h("td", {}, t(`settings.source.${c.source}`))))))];
    if (admin) {
      const file = h("input", { id: "rate-card-file", type: "file", accept: ".csv,text/csv" });
      const error = h("p", { class: "error-text", role: "alert" });
      const form = h("form", { class: "row" }, h("label", { for: "rate-card-file" }, t("settings.upload"), file), h("button", { type: "submit" }, t("settings.uploadButton")), error);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        error.textContent = "";
        const chosen = file.files?.[0];
        if (!chosen) { error.textContent = t("settings.chooseFile"); return; }
        try {
          await api("POST", "/rate-cards", { body: await chosen.text(), headers: { "Content-Type": "text/csv" } });
          announce(t("settings.uploaded"));
          this.load();
        } catch (failure) { error.textContent = failure.message; }
      });
      parts.push(form);
    }
    fill(this.cards, parts);
  }
}
