// Formatting of durations, money, times and numbers for the agent's language.
import { t, locale } from "./i18n.js";

/** "14 h 32 min", "42 min", "35 s" for a number of seconds. */
export function duration(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return t("duration.seconds", { s });
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return t("duration.minutes", { m: minutes });
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return m ? t("duration.hoursMinutes", { h, m }) : t("duration.hours", { h });
}

/** "0.0200 USD": the API's decimal string kept exactly. */
export function money(amount, currency) {
  return `${amount} ${currency}`;
}

export function time(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
}

export function shortTime(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", timeZone: "UTC" }).format(new Date(iso));
}

/** "+57 300 1234567" from a wa_id: the country code apart, for reading. */
export function phone(waId) {
  return waId ? `+${waId}` : "";
}
