// The REST API of /api/v1 with the signed-in agent's bearer token.
import { t } from "./i18n.js";

const TOKEN_KEY = "ventana.token";

/** An error answered by the API: `code` is the stable machine code, `message` a sentence. */
export class APIError extends Error {
  constructor(status, code, message, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    /** The decoded body, when it was JSON (a 502 send answer carries the failed message). */
    this.body = body;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
}

export function setToken(value, remember) {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  if (value) (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, value);
}

let onUnauthorized = () => {};
/** Called when the token is refused (revoked, expired, agent disabled). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** Calls the API; resolves to the decoded JSON (or text for CSV), throws `APIError`. */
export async function api(method, path, { body, headers = {}, accept = "application/json", raw = false } = {}) {
  const init = { method, headers: { Accept: accept, ...headers } };
  const bearer = token();
  if (bearer) init.headers.Authorization = `Bearer ${bearer}`;
  if (body instanceof Blob || typeof body === "string") {
    init.body = body;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new APIError(0, "offline", t("offline"));
  }
  if (response.status === 401 && !path.startsWith("/auth/login")) onUnauthorized();
  if (!response.ok) {
    let code = "http_" + response.status, message = response.statusText || `HTTP ${response.status}`, body = null;
    try {
      body = await response.json();
      if (body?.error) ({ code, message } = body.error);
    } catch { /* not JSON */ }
    throw new APIError(response.status, code, message, body);
  }
  if (raw || accept !== "application/json") return response.text();
  if (response.status === 204) return null;
  return response.json();
}

/** A fresh Idempotency-Key: a retried request with the same key never sends twice. */
export function idempotencyKey() {
  return crypto.randomUUID();
}
