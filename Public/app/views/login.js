// Sign-in.
import { api, setToken } from "../api.js";
import { t, language, setLanguage, languages } from "../i18n.js";
import { h, fill, icon } from "../dom.js";

export function renderLogin(root, signedIn) {
  const error = h("p", { id: "login-error", class: "error-text", role: "alert" });
  const email = h("input", { id: "email", name: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const remember = h("input", { id: "remember", type: "checkbox" });
  const submit = h("button", { type: "submit", class: "primary" }, t("auth.signIn"));
  const form = h("form", { novalidate: true },
    h("label", { for: "email" }, t("auth.email"), email),
    h("label", { for: "password" }, t("auth.password"), password),
    h("label", { class: "check", for: "remember" }, remember, t("auth.remember")),
    submit, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!email.value || !password.value) {
      error.textContent = t("auth.missing");
      return;
    }
    submit.disabled = true;
    try {
      const answer = await api("POST", "/auth/login", { body: { email: email.value, password: password.value } });
      setToken(answer.token, remember.checked);
      signedIn(answer.agent);
    } catch (failure) {
      error.textContent = failure.status === 401 ? t("auth.wrong") : failure.status === 429 ? t("auth.throttled") : failure.message;
      submit.disabled = false;
      password.focus();
    }
  });
  const languageSelect = h("select", { id: "login-language", "aria-label": t("language.label") },
    languages.map((code) => h("option", { value: code, selected: code === language() }, t(`language.${code}`))));
  languageSelect.addEventListener("change", () => {
    setLanguage(languageSelect.value);
    renderLogin(root, signedIn);
  });
  fill(root, h("main", { id: "main", class: "login" },
    h("div", { class: "brand" }, icon("logo"), h("h1", {}, t("auth.title"))),
    h("p", { class: "muted" }, t("auth.intro")),
    form,
    h("p", {}, languageSelect)));
  email.focus();
}
