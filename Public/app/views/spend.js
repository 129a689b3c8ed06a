// Spend: what templates cost by day and by market, replies inside the window, and the
// "saved" figure; CSV export.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, fill, announce } from "../dom.js";
import { money } from "../format.js";
import { barChart } from "./charts.js";

export class SpendView {
  constructor(app) {
    this.app = app;
    // Empty until the first report: the server picks this month by its own clock (the sandbox
    // clock can run days ahead of the browser's).
    this.from = "";
    this.to = "";
  }

  render(main) {
    document.title = `${t("nav.spend")} · Ventana`;
    const from = h("input", { id: "spend-from", type: "date", value: this.from });
    const to = h("input", { id: "spend-to", type: "date", value: this.to });
    this.inputs = { from, to };
    const form = h("form", { class: "row" },
      h("label", { for: "spend-from" }, t("spend.from"), from),
      h("label", { for: "spend-to" }, t("spend.to"), to),
      h("button", { type: "submit" }, t("spend.show")),
      h("button", { type: "button", id: "spend-csv", onclick: () => this.csv() }, t("spend.csv")));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.from = from.value; this.to = to.value; this.load(); });
    this.body = h("div", { id: "spend-body" });
    main.append(h("div", { class: "page" }, h("h1", {}, t("nav.spend")), form, this.body));
    this.load();
  }

  refresh() { this.load(); }

  query(groupBy) {
    const query = new URLSearchParams({ group_by: groupBy });
    if (this.from) query.set("from", this.from);
    if (this.to) query.set("to", this.to);
    return query;
  }

  async load() {
    let byDay, byMarket, byTemplate;
    try {
      [byDay, byMarket, byTemplate] = await Promise.all(["day", "market", "template"].map((g) => api("GET", `/reports/spend?${this.query(g)}`)));
    } catch (error) {
      fill(this.body, h("p", { class: "error-text", role: "alert" }, error.message));
      return;
    }
    this.from = this.inputs.from.value = byDay.from;
    this.to = this.inputs.to.value = byDay.to;
    const rows = (report) => report.rows.map((row) => ({ label: row.key, value: Number(row.amount), text: money(row.amount, report.currency) }));
    fill(this.body,
      h("div", { class: "figures" },
        h("div", { class: "figure", id: "spend-total" }, t("spend.total"), h("strong", {}, money(byDay.total.amount, byDay.currency)), t("spend.templates", { n: byDay.total.templates })),
        h("div", { class: "figure", id: "spend-saved" }, t("spend.saved"), h("strong", {}, money(byDay.saved, byDay.currency)), t("spend.savedWhy")),
        h("div", { class: "figure", id: "spend-replies" }, t("spend.replies"), h("strong", {}, String(byDay.replies_in_window)), t("spend.repliesWhy"))),
      h("div", { class: "grid2" },
        h("section", { class: "card chart", id: "chart-day" }, h("h2", {}, t("spend.byDay")), byDay.rows.length ? barChart(t("spend.byDay"), rows(byDay)) : h("p", { class: "muted" }, t("spend.nothing"))),
        h("section", { class: "card chart", id: "chart-market" }, h("h2", {}, t("spend.byMarket")), byMarket.rows.length ? barChart(t("spend.byMarket"), rows(byMarket)) : h("p", { class: "muted" }, t("spend.nothing")))),
      h("section", { class: "card" }, h("h2", {}, t("spend.byTemplate")),
        h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("templates.name")), h("th", { scope: "col" }, t("spend.sent")), h("th", { scope: "col" }, t("spend.amount")))),
          h("tbody", {}, byTemplate.rows.map((row) => h("tr", {}, h("th", { scope: "row" }, row.key), h("td", {}, String(row.templates)), h("td", {}, money(row.amount, byTemplate.currency))))))));
  }

  async csv() {
    try {
      const text = await api("GET", `/reports/spend?${this.query("day")}`, { accept: "text/csv" });
      const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: `ventana-spend-${this.from}-${this.to}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    } catch (error) { announce(error.message, "error"); }
  }
}
