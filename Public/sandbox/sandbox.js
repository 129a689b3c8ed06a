// The sandbox page: play a contact, watch what the business sends, move the clock.
// Contact and message text are always inserted as text, never as HTML.

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const response = await fetch(`/sandbox/api/${path}`, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(json.error?.message ?? `HTTP ${response.status}`);
  return json;
}

function render(state) {
  $("business-number").textContent = `+${state.business_number}`;
  if (document.activeElement !== $("hold")) $("hold").checked = state.statuses_held;
  if (document.activeElement !== $("fail-next")) $("fail-next").value = String(state.next_failure ?? 0);
  $("now").textContent = new Date(state.now).toLocaleString();
  const hours = Math.round(state.clock_offset_seconds / 360) / 10;
  $("offset").textContent = hours > 0 ? `(${hours} h ahead of real time)` : "";
  const list = $("received");
  list.replaceChildren(...state.received.slice().reverse().map((message) => {
    const item = document.createElement("li");
    if (message.status === "failed") item.classList.add("failed");
    const text = document.createElement("div");
    text.textContent = message.text;
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = `to +${message.to} · ${message.kind} · ${message.status}` + (message.error_code ? ` (error ${message.error_code})` : "");
    item.append(text, meta);
    for (const label of message.buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", () => tap(message, label));
      item.append(" ", button);
    }
    return item;
  }));
}

async function refresh() {
  try { render(await api("state")); } catch (error) { $("compose-status").textContent = error.message; }
}

async function tap(message, label) {
  try {
    await api("replies", { wa_id: message.to, name: $("name").value, message_id: message.id, button: label });
    $("compose-status").textContent = `Tapped "${label}".`;
  } catch (error) { $("compose-status").textContent = error.message; }
  refresh();
}

$("compose").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("messages", { wa_id: $("wa-id").value, name: $("name").value, text: $("text").value, referral: $("referral").checked });
    $("text").value = "";
    $("compose-status").textContent = "Delivered to Ventana.";
  } catch (error) { $("compose-status").textContent = error.message; }
  refresh();
});

$("country").addEventListener("change", () => {
  const option = $("country").selectedOptions[0];
  $("wa-id").value = option.value + option.dataset.sample;
});

async function network(body, said) {
  try {
    render(await api("network", body));
    $("network-status").textContent = said;
  } catch (error) { $("network-status").textContent = error.message; }
}

$("hold").addEventListener("change", () => network({ hold_statuses: $("hold").checked },
  $("hold").checked ? "Statuses are held." : "Statuses flow again."));
$("fail-next").addEventListener("change", () => network({ fail_next: Number($("fail-next").value) },
  $("fail-next").value === "0" ? "The next message is delivered." : `The next message fails with ${$("fail-next").value}.`));

for (const button of document.querySelectorAll("[data-advance]")) {
  button.addEventListener("click", async () => {
    try { render(await api("clock", { advance_seconds: Number(button.dataset.advance) })); }
    catch (error) { $("compose-status").textContent = error.message; }
  });
}

refresh();
setInterval(refresh, 2000);
