// Resume: pick an approved template, fill what is not bound, see it as the contact will and
// what it costs for this contact, confirm. Retry sends the same again.
import { api, idempotencyKey } from "../api.js";
import { t, language as consoleLanguage, metaFailureText } from "../i18n.js";
import { h, fill, announce } from "../dom.js";

/** What each chat's last template send was, so Retry can send it again as it was. */
const lastSends = new Map();

let cachedTemplates = null;

/** Forgets what the signed-in agent sent and saw (on sign-out). */
export function forgetTemplates() {
  cachedTemplates = null;
  lastSends.clear();
}
async function approvedTemplates(fresh = false) {
  if (!cachedTemplates || fresh) cachedTemplates = api("GET", "/templates").catch((error) => { cachedTemplates = null; throw error; });
  return (await cachedTemplates).filter((template) => template.status === "APPROVED");
}

const SPANISH = new Set(["AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "ES", "GT", "HN", "MX", "NI", "PA", "PE", "PR", "PY", "SV", "UY", "VE"]);
/** The language a contact most likely reads, from their market; the agent can change it. */
export function likelyLanguage(conversation) {
  const market = conversation.contact.market ?? "";
  if (SPANISH.has(market)) return "es";
  if (market === "BR" || market === "PT") return "pt";
  if (market === "FR") return "fr";
  if (market === "DE" || market === "AT") return "de";
  return consoleLanguage() === "es" ? "es" : "en";
}

function languageFamily(code) {
  return code.split("_")[0].toLowerCase();
}

/** The template Resume proposes first: approved, in the contact's language. */
export async function defaultTemplate(conversation) {
  const templates = await approvedTemplates();
  const family = likelyLanguage(conversation);
  return templates.find((template) => languageFamily(template.language) === family) ?? templates[0] ?? null;
}

/** "free (window open)" or "paid: 0.0125 USD (CO, marketing)" in the agent's language. */
export function quoteSummary(quote) {
  if (quote.free_reason) return t("cost.freeBecause", { reason: t(`free.${quote.free_reason}`) });
  return t("cost.paid", { amount: quote.amount, currency: quote.currency, market: quote.market ?? quote.pricing_market, category: t(`category.${quote.category}`) });
}

/** The value a bound variable takes in this chat. */
function boundValue(binding, conversation, app) {
  switch (binding) {
    case "contact_name": return conversation.contact.name ?? "";
    case "contact_number": return `+${conversation.contact.wa_id}`;
    case "agent_name": return app.me.name;
    default: return "";
  }
}

/** Sends the chat's last template again with the same values; false if there is none to repeat. */
export async function retryLastSend(conversation) {
  const last = lastSends.get(conversation.id);
  if (!last) return false;
  try {
    await api("POST", `/conversations/${conversation.id}/templates`, { body: last, headers: { "Idempotency-Key": idempotencyKey() } });
    announce(t("resume.retried"));
  } catch (error) {
    announce(sendFailure(error), "error");
  }
  return true;
}

/** What to tell the agent when a send was refused: Meta's reason when Meta refused it at once
 * (the answer is a 502 carrying the failed message), else the API's message. */
export function sendFailure(error) {
  const failure = error.body?.message?.failure ?? error.body?.failure;
  return failure ? explainFailure(failure) : error.message;
}

/** Meta's failure as two sentences, in the agent's language when the code is known. */
export function explainFailure(failure) {
  const translated = metaFailureText(failure.code);
  if (translated) return translated;
  const sentence = (text) => text ? text[0].toUpperCase() + text.slice(1) + (text.endsWith(".") ? "" : ".") : "";
  return `${sentence(failure.reason)} ${sentence(failure.next_step)}`;
}

export class ResumeDialog {
  constructor(app, conversation, { prefill, onSent }) {
    this.app = app;
    this.conversation = conversation;
    this.prefill = prefill;
    this.onSent = onSent;
    this.values = new Map();
  }

  async open() {
    let templates;
    try {
      templates = await approvedTemplates(true);
    } catch (error) {
      announce(error.message, "error");
      return;
    }
    this.templates = templates;
    this.dialog = h("dialog", { id: "resume-dialog", "aria-labelledby": "resume-title" });
    document.body.append(this.dialog);
    this.dialog.addEventListener("close", () => this.dialog.remove());
    if (templates.length === 0) {
      fill(this.dialog, h("form", { method: "dialog" }, h("h2", { id: "resume-title" }, t("resume.title")), h("p", {}, t("resume.none")),
        h("div", { class: "buttons" }, h("button", { value: "cancel" }, t("resume.cancel")))));
      this.dialog.showModal();
      return;
    }
    const family = likelyLanguage(this.conversation);
    const first = templates.find((x) => this.prefill && x.name === this.prefill.name && x.language === this.prefill.language)
      ?? templates.find((x) => languageFamily(x.language) === family) ?? templates[0];
    this.language = first.language;
    this.name = first.name;
    this.draw();
    this.dialog.showModal();
    this.dialog.querySelector("#resume-template")?.focus();
  }

  get template() {
    return this.templates.find((x) => x.name === this.name && x.language === this.language)
      ?? this.templates.find((x) => x.language === this.language);
  }

  draw() {
    const focused = this.dialog.contains(document.activeElement) ? document.activeElement.id : null;
    const languages = [...new Set(this.templates.map((x) => x.language))].sort();
    const languageSelect = h("select", { id: "resume-language" }, languages.map((code) => h("option", { value: code, selected: code === this.language }, code)));
    languageSelect.addEventListener("change", () => {
      this.language = languageSelect.value;
      if (!this.template || this.template.name !== this.name) this.name = this.templates.find((x) => x.language === this.language).name;
      this.draw();
    });
    const inLanguage = this.templates.filter((x) => x.language === this.language);
    const templateSelect = h("select", { id: "resume-template" }, inLanguage.map((x) =>
      h("option", { value: x.name, selected: x.name === this.name }, `${x.name} · ${t(`category.${x.category.toLowerCase()}`)}`)));
    templateSelect.addEventListener("change", () => { this.name = templateSelect.value; this.draw(); });

    const template = this.template;
    const inputs = [];
    for (let position = 1; position <= template.variables; position++) {
      const binding = template.bindings?.[String(position)];
      if (binding) {
        inputs.push(h("p", { class: "muted" }, t("resume.bound", { n: position, field: t(`binding.${binding}`), value: boundValue(binding, this.conversation, this.app) })));
        continue;
      }
      const key = `${template.name}/${template.language}/${position}`;
      const input = h("input", { id: `variable-${position}`, required: true, maxlength: 1024, value: this.values.get(key) ?? "" });
      input.addEventListener("input", () => { this.values.set(key, input.value); this.drawPreview(); this.checkReady(); });
      inputs.push(h("label", { for: `variable-${position}` }, t("resume.variable", { n: position }), input));
    }
    this.preview = h("div", { class: "preview", "aria-label": t("resume.preview"), role: "region" });
    this.price = h("p", { class: "price", id: "resume-price", role: "status" }, t("resume.pricing"));
    this.confirm = h("button", { type: "submit", class: "primary", id: "resume-confirm" }, t("resume.confirm"));
    this.error = h("p", { class: "error-text", role: "alert", id: "resume-error" });
    const form = h("form", { method: "dialog" },
      h("h2", { id: "resume-title" }, t("resume.titleFor", { name: this.conversation.contact.name || `+${this.conversation.contact.wa_id}` })),
      h("div", { class: "fields" },
        h("label", { for: "resume-language" }, t("resume.language"), languageSelect),
        h("label", { for: "resume-template" }, t("resume.template"), templateSelect),
        template.category_change ? h("p", { class: "warning" }, t("resume.categoryChanged", { from: t(`category.${template.category_change.from.toLowerCase()}`), to: t(`category.${template.category.toLowerCase()}`) })) : null,
        inputs),
      h("div", {}, h("h3", {}, t("resume.preview")), this.preview, this.price),
      this.error,
      h("div", { class: "buttons" },
        h("button", { type: "button", onclick: () => this.dialog.close() }, t("resume.cancel")),
        this.confirm));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.send(); });
    fill(this.dialog, form);
    if (focused) document.getElementById(focused)?.focus();
    this.drawPreview();
    this.checkReady();
    this.quote();
  }

  valueOf(position) {
    const template = this.template;
    const binding = template.bindings?.[String(position)];
    if (binding) return boundValue(binding, this.conversation, this.app);
    return this.values.get(`${template.name}/${template.language}/${position}`) ?? "";
  }

  drawPreview() {
    const template = this.template;
    const render = (text) => {
      const parts = [];
      let rest = text ?? "";
      const pattern = /\{\{(\d+)\}\}/;
      for (let match = rest.match(pattern); match; match = rest.match(pattern)) {
        parts.push(rest.slice(0, match.index));
        const value = this.valueOf(Number(match[1]));
        parts.push(value ? value : h("span", { class: "missing" }, `{{${match[1]}}}`));
        rest = rest.slice(match.index + match[0].length);
      }
      parts.push(rest);
      return parts;
    };
    fill(this.preview, h("div", { class: "bubble", id: "resume-preview" },
      template.header ? h("span", { class: "header" }, render(template.header)) : null,
      render(template.body),
      template.footer ? h("span", { class: "footer" }, template.footer) : null),
    template.buttons?.length ? h("div", { class: "buttons-preview" }, template.buttons.map((label) => h("span", {}, label))) : null);
  }

  unboundValues() {
    const template = this.template;
    const values = [];
    for (let position = 1; position <= template.variables; position++) {
      if (!template.bindings?.[String(position)]) values.push(this.valueOf(position).trim());
    }
    return values;
  }

  checkReady() {
    const missing = this.unboundValues().filter((value) => !value).length;
    this.confirm.disabled = missing > 0;
    this.confirm.title = missing > 0 ? t("resume.fillAll") : "";
  }

  async quote() {
    const template = this.template;
    const query = new URLSearchParams({ wa_id: this.conversation.contact.wa_id, template: template.name, language: template.language, conversation_id: this.conversation.id });
    try {
      const quote = await api("GET", `/pricing/quote?${query}`);
      if (this.template === template) this.price.textContent = t("resume.price", { price: quoteSummary(quote) });
    } catch (error) {
      this.price.textContent = error.message;
    }
  }

  async send() {
    const template = this.template;
    const body = { name: template.name, language: template.language, parameters: this.unboundValues() };
    if (body.parameters.some((value) => !value)) { this.error.textContent = t("resume.fillAll"); return; }
    this.confirm.disabled = true;
    try {
      lastSends.set(this.conversation.id, body);
      await api("POST", `/conversations/${this.conversation.id}/templates`, { body, headers: { "Idempotency-Key": idempotencyKey() } });
      this.dialog.close();
      announce(t("resume.sent", { name: template.name }));
      await this.onSent();
    } catch (error) {
      if (error.status === 502 && error.body?.message) {
        // Meta refused it at once: the send is stored as failed, and the chat says why.
        this.dialog.close();
        announce(sendFailure(error), "error");
        await this.onSent();
        return;
      }
      this.error.textContent = error.message;
      this.confirm.disabled = false;
    }
  }
}
