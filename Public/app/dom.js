// A small element builder: text always goes in as text (never parsed as HTML).

/** `h("button", {class: "x", onclick: f}, "Label", child)` builds an element. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** An SVG icon from /icons, decorative: the state is always said in words next to it. */
export function icon(name, label) {
  const img = h("img", { src: `/icons/${name}.svg`, alt: label ?? "", class: "icon", width: 18, height: 18 });
  if (!label) img.setAttribute("aria-hidden", "true");
  return img;
}

/** Announces a sentence to screen readers and shows it as a toast. */
export function announce(text, kind = "info") {
  const region = document.getElementById("toasts");
  if (!region) return;
  const toast = h("div", { class: `toast ${kind}` }, text);
  region.append(toast);
  // A burst of events must not bury the chat: the newest three stay, each for five seconds.
  while (region.children.length > 3) region.firstElementChild.remove();
  setTimeout(() => toast.remove(), 5000);
}
