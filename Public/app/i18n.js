// English and Spanish. The browser's language decides at first; the agent can switch.
const KEY = "ventana.language";
export const languages = ["en", "es"];

const en = {
  "nav.label": "Sections", "nav.inbox": "Inbox", "nav.ongoing": "Ongoing", "nav.all": "All chats", "nav.templates": "Templates",
  "nav.spend": "Spend", "nav.settings": "Settings", "nav.agents": "Agents",
  "language.label": "Language", "language.en": "English", "language.es": "Español",
  "role.admin": "admin", "role.supervisor": "supervisor", "role.agent": "agent",
  "auth.title": "Sign in to Ventana", "auth.intro": "Answer WhatsApp chats without losing a window.", "auth.email": "Email", "auth.password": "Password",
  "auth.remember": "Keep me signed in on this device", "auth.signIn": "Sign in", "auth.signOut": "Sign out",
  "auth.missing": "Enter your email and password.", "auth.wrong": "That email and password do not match an active agent.",
  "auth.throttled": "Too many failed attempts. Wait a few minutes and try again.",
  "notifications.title": "Notifications", "notifications.none": "Nothing yet. Windows about to close, closed windows, failed templates and answers appear here.",
  "notifications.unread": "Notifications, {n} new",
  "notify.expiring": "{name}: the window closes soon. Reply now to keep it free.", "notify.expired": "{name}: the window closed. Resume with a template.",
  "notify.failed": "{name}: the template failed. {reason}", "notify.answered": "{name} answered your template. You can write freely again.",
  "notify.newChat": "New chat from {name}.", "notify.returned": "{name} wrote again: the window is open.", "notify.sent": "{name}: WhatsApp took the template; waiting for the answer.",
  "state.open": "Open", "state.expiring": "About to expire", "state.expired": "Expired", "state.resuming": "Resuming", "state.awaiting_reply": "Awaiting reply",
  "session.left": "{time} left", "session.closedAt": "closed {time}",
  "duration.seconds": "{s} s", "duration.minutes": "{m} min", "duration.hours": "{h} h", "duration.hoursMinutes": "{h} h {m} min",
  "filter.anyState": "Any state", "filter.state": "State", "filter.search": "Search", "filter.searchPlaceholder": "Name or number",
  "list.more": "Show more", "list.noMatch": "No chat matches.", "list.empty.inbox": "The inbox is empty: no chat waits for an agent.",
  "list.empty.ongoing": "No chat is assigned to you.", "list.empty.all": "No chats yet. In the sandbox, write to the business from /sandbox.",
  "chat.label": "Chat", "chat.choose": "Choose a chat from the list.", "chat.loading": "Loading…", "chat.forbidden": "This chat belongs to another agent.",
  "chat.back": "Chats", "chat.take": "Take", "chat.handTo": "Hand the chat to", "chat.toInbox": "The inbox", "chat.hand": "Hand over", "chat.close": "Close chat",
  "chat.assignedTo": "with {name}", "chat.unassigned": "in the inbox", "chat.closed": "closed", "chat.messages": "Messages", "chat.earlier": "Earlier messages",
  "chat.noMessages": "No messages yet.", "chat.done.take": "The chat is yours.", "chat.done.assign": "Chat handed over.", "chat.done.close": "Chat closed.",
  "banner.open.before": "Window open: ", "banner.open.after": " left. Replies are free.",
  "banner.expiring.before": "The window closes in ", "banner.expiring.after": ". Reply now: after that only a paid template can reach {name}.",
  "banner.expired": "The 24-hour window closed ({time}). Free-form messages are blocked: resume with an approved template.",
  "banner.resuming": "Template sent to WhatsApp. Waiting for Meta to confirm it.", "banner.failed": "The template failed:", "banner.retry": "Retry",
  "banner.awaiting": "Template sent. Waiting for {name} to reply; the composer opens when they do.",
  "lock.expired": "Locked: the window closed. Only an approved template can be sent.", "lock.resuming": "Locked: waiting for WhatsApp to confirm the template.",
  "lock.awaiting_reply": "Locked until {name} replies.", "lock.failed": "Locked: the template failed. Retry it, or choose another with Resume.",
  "cost.notCharged": "not charged",
  "composer.label": "Message", "composer.placeholder": "Write a reply (Ctrl+Enter sends)", "composer.send": "Send", "composer.empty": "Write something first.",
  "composer.expired": "The window closed before this went out. Nothing was sent: resume with a template.",
  "cost.nextFree.before": "Next message: free (window open, ", "cost.nextFree.after": " left)",
  "cost.template": "Next message: a template.", "cost.nextTemplate": "Next message: template {template}, {price}",
  "cost.free": "free", "cost.freeBecause": "free ({reason})", "cost.paid": "paid: {amount} {currency} ({market}, {category})",
  "free.window_open_utility": "utility template while the window is open", "free.free_entry_point": "free entry point from an ad",
  "free.service_message": "reply inside the window", "free.conversation_open": "conversation already open",
  "category.marketing": "marketing", "category.utility": "utility", "category.authentication": "authentication", "category.": "—",
  "message.template": "Template {name} ({language})", "message.from": "{name}:", "message.fromUs": "You:", "message.newFrom": "New message from {name}",
  "skip": "Skip to content", "offline": "The server cannot be reached.",
  "category.service": "service", "category.authentication_international": "international authentication",
  "kind.image": "Photo", "kind.video": "Video", "kind.audio": "Voice or audio", "kind.document": "Document", "kind.sticker": "Sticker",
  "kind.location": "Location", "kind.contacts": "Contact card", "kind.interactive": "Reply", "kind.button": "Tapped a button", "kind.reaction": "Reaction",
  "kind.order": "Order", "kind.system": "WhatsApp notice", "kind.unsupported": "A message type WhatsApp does not deliver to businesses",
  "kind.unknown": "A {kind} message", "kind.empty": "(empty)",
  "status.queued": "queued", "status.sent": "sent", "status.delivered": "delivered", "status.read": "read", "status.failed": "failed", "status.received": "received",
  "resume.open": "Resume", "resume.title": "Resume with a template", "resume.titleFor": "Resume the chat with {name}",
  "resume.none": "No approved template yet. Create one on the Templates page.", "resume.language": "Language", "resume.template": "Template",
  "resume.variable": "Variable {{{n}}}", "resume.bound": "{{{n}}} is the {field}: {value}", "resume.preview": "Preview",
  "resume.pricing": "Working out the price…", "resume.price": "Price for this contact: {price}", "resume.confirm": "Send template", "resume.cancel": "Cancel",
  "resume.fillAll": "Every variable needs a value.", "resume.sent": "Template {name} sent.", "resume.retried": "Sent again.",
  "resume.categoryChanged": "Meta moved this template from {from} to {to}: its price changed.",
  "binding.typed": "typed by the agent", "binding.contact_name": "contact's name", "binding.contact_number": "contact's number", "binding.agent_name": "agent's name",
  "templates.intro": "Only approved templates can be sent. Statuses come from Meta's webhooks and the sync.", "templates.sync": "Sync with Meta",
  "templates.synced": "{n} templates synced.", "templates.none": "No templates yet.", "templates.name": "Name", "templates.language": "Language",
  "templates.category": "Category", "templates.status": "Status", "templates.variables": "Variables", "templates.actions": "Actions",
  "templates.categoryChanged": "Meta changed the category (was {from}, {at}): the price changed.", "templates.rejectedBecause": "Rejected: {reason}",
  "templates.quality": "Quality: {quality}", "templates.bindingFor": "Variable {{{n}}} of {name}", "templates.bound": "Bindings saved.",
  "templates.delete": "Delete", "templates.confirmDelete": "Delete {name} ({language}) at Meta?", "templates.deleted": "Template deleted.",
  "templates.create": "New template", "templates.header": "Header (optional)", "templates.body": "Body, with variables {{1}}, {{2}}…",
  "templates.footer": "Footer (optional)", "templates.buttons": "Quick replies (comma-separated)", "templates.examples": "Examples for the variables (comma-separated)",
  "templates.submit": "Submit to Meta", "templates.submitted": "{name} submitted for review.",
  "templateStatus.APPROVED": "Approved", "templateStatus.PENDING": "Pending review", "templateStatus.REJECTED": "Rejected", "templateStatus.PAUSED": "Paused",
  "templateStatus.DISABLED": "Disabled", "templateStatus.DRAFT": "Draft", "templateStatus.IN_APPEAL": "In appeal", "templateStatus.PENDING_DELETION": "Being deleted",
  "spend.from": "From", "spend.to": "To", "spend.show": "Show", "spend.csv": "Download CSV", "spend.total": "Spent on templates",
  "spend.templates": "{n} templates", "spend.saved": "Saved", "spend.savedWhy": "templates not needed because replies went out in time",
  "spend.replies": "Answered in the window", "spend.repliesWhy": "chats answered while the window was open",
  "spend.byDay": "Spend by day", "spend.byMarket": "Spend by market", "spend.byTemplate": "By template", "spend.nothing": "Nothing spent in these days.",
  "spend.sent": "Sent", "spend.amount": "Amount",
  "settings.installation": "This installation", "settings.warningLead": "Warning before a window closes", "settings.minutes": "{n} minutes",
  "settings.pricingModel": "Pricing model", "settings.model.per_message": "per message (Meta's model since July 2025)",
  "settings.model.conversation": "per conversation (Meta's earlier model)", "settings.provider": "WhatsApp",
  "settings.provider.sandbox": "the sandbox (simulated)", "settings.provider.cloud": "Meta's Cloud API",
  "settings.fromEnvironment": "The warning lead starts as VENTANA_WARNING_MINUTES and admins can change it here, for every instance, without a restart; the pricing model is VENTANA_PRICING_MODEL.",
  "settings.changeLead": "Warn this many minutes before a window closes", "settings.saveLead": "Save", "settings.leadSaved": "Chats now warn {n} minutes before their window closes.",
  "settings.budgets": "Monthly template budgets", "settings.noBudgets": "No budget set: template sends are not capped.", "settings.for": "For",
  "settings.monthly": "Monthly amount", "settings.spent": "Spent this month", "settings.left": "Left", "settings.wholeInstallation": "Whole installation",
  "settings.saveBudget": "Save budget", "settings.budgetSaved": "Budget saved.", "settings.clearBudget": "Leave the amount empty to remove a budget.",
  "settings.rateCards": "Rate cards", "settings.effective": "Effective from", "settings.currency": "Currency", "settings.markets": "Markets",
  "settings.source": "Source", "settings.inForce": "in force", "settings.source.shipped": "shipped with Ventana", "settings.source.uploaded": "uploaded",
  "settings.upload": "Upload a rate card (CSV in Meta's layout)", "settings.uploadButton": "Upload", "settings.chooseFile": "Choose a CSV file first.",
  "settings.uploaded": "Rate card uploaded.",
  "agents.name": "Name", "agents.email": "Email", "agents.role": "Role", "agents.password": "Password (8 characters or more)", "agents.add": "Add an agent",
  "agents.create": "Add agent", "agents.created": "{name} can now sign in.", "agents.disable": "Disable", "agents.you": "you",
  "agents.confirmDisable": "Disable {name}? They are signed out at once.", "agents.disabled": "{name} is disabled.",
};

const es = {
  "nav.label": "Secciones", "nav.inbox": "Bandeja", "nav.ongoing": "En curso", "nav.all": "Todos los chats", "nav.templates": "Plantillas",
  "nav.spend": "Gasto", "nav.settings": "Ajustes", "nav.agents": "Agentes",
  "language.label": "Idioma", "language.en": "English", "language.es": "Español",
  "role.admin": "administración", "role.supervisor": "supervisión", "role.agent": "agente",
  "auth.title": "Entrar en Ventana", "auth.intro": "Responde chats de WhatsApp sin perder ninguna ventana.", "auth.email": "Correo", "auth.password": "Contraseña",
  "auth.remember": "Mantener la sesión en este dispositivo", "auth.signIn": "Entrar", "auth.signOut": "Salir",
  "auth.missing": "Escribe tu correo y tu contraseña.", "auth.wrong": "Ese correo y esa contraseña no corresponden a un agente activo.",
  "auth.throttled": "Demasiados intentos fallidos. Espera unos minutos y vuelve a intentarlo.",
  "notifications.title": "Avisos", "notifications.none": "Nada todavía. Aquí aparecen ventanas a punto de cerrarse, ventanas cerradas, plantillas fallidas y respuestas.",
  "notifications.unread": "Avisos, {n} nuevos",
  "notify.expiring": "{name}: la ventana se cierra pronto. Responde ahora para que siga siendo gratis.", "notify.expired": "{name}: la ventana se cerró. Reanuda con una plantilla.",
  "notify.failed": "{name}: la plantilla falló. {reason}", "notify.answered": "{name} respondió a tu plantilla. Ya puedes escribir libremente.",
  "notify.newChat": "Nuevo chat de {name}.", "notify.returned": "{name} volvió a escribir: la ventana está abierta.", "notify.sent": "{name}: WhatsApp aceptó la plantilla; esperando la respuesta.",
  "state.open": "Abierta", "state.expiring": "A punto de expirar", "state.expired": "Expirada", "state.resuming": "Reanudando", "state.awaiting_reply": "Esperando respuesta",
  "session.left": "quedan {time}", "session.closedAt": "cerrada {time}",
  "duration.seconds": "{s} s", "duration.minutes": "{m} min", "duration.hours": "{h} h", "duration.hoursMinutes": "{h} h {m} min",
  "filter.anyState": "Cualquier estado", "filter.state": "Estado", "filter.search": "Buscar", "filter.searchPlaceholder": "Nombre o número",
  "list.more": "Ver más", "list.noMatch": "Ningún chat coincide.", "list.empty.inbox": "La bandeja está vacía: ningún chat espera agente.",
  "list.empty.ongoing": "No tienes chats asignados.", "list.empty.all": "Aún no hay chats. En el sandbox, escribe al negocio desde /sandbox.",
  "chat.label": "Chat", "chat.choose": "Elige un chat de la lista.", "chat.loading": "Cargando…", "chat.forbidden": "Este chat es de otro agente.",
  "chat.back": "Chats", "chat.take": "Tomar", "chat.handTo": "Pasar el chat a", "chat.toInbox": "La bandeja", "chat.hand": "Pasar", "chat.close": "Cerrar chat",
  "chat.assignedTo": "con {name}", "chat.unassigned": "en la bandeja", "chat.closed": "cerrado", "chat.messages": "Mensajes", "chat.earlier": "Mensajes anteriores",
  "chat.noMessages": "Aún no hay mensajes.", "chat.done.take": "El chat es tuyo.", "chat.done.assign": "Chat transferido.", "chat.done.close": "Chat cerrado.",
  "banner.open.before": "Ventana abierta: quedan ", "banner.open.after": ". Las respuestas son gratis.",
  "banner.expiring.before": "La ventana se cierra en ", "banner.expiring.after": ". Responde ya: después solo una plantilla de pago llega a {name}.",
  "banner.expired": "La ventana de 24 horas se cerró ({time}). Los mensajes libres están bloqueados: reanuda con una plantilla aprobada.",
  "banner.resuming": "Plantilla enviada a WhatsApp. Esperando la confirmación de Meta.", "banner.failed": "La plantilla falló:", "banner.retry": "Reintentar",
  "banner.awaiting": "Plantilla enviada. Esperando la respuesta de {name}; el editor se abre cuando responda.",
  "lock.expired": "Bloqueado: la ventana se cerró. Solo se puede enviar una plantilla aprobada.", "lock.resuming": "Bloqueado: esperando que WhatsApp confirme la plantilla.",
  "lock.awaiting_reply": "Bloqueado hasta que {name} responda.", "lock.failed": "Bloqueado: la plantilla falló. Reinténtala o elige otra con Reanudar.",
  "cost.notCharged": "sin cargo",
  "composer.label": "Mensaje", "composer.placeholder": "Escribe una respuesta (Ctrl+Enter envía)", "composer.send": "Enviar", "composer.empty": "Escribe algo primero.",
  "composer.expired": "La ventana se cerró antes de enviarlo. No se envió nada: reanuda con una plantilla.",
  "cost.nextFree.before": "Próximo mensaje: gratis (ventana abierta, quedan ", "cost.nextFree.after": ")",
  "cost.template": "Próximo mensaje: una plantilla.", "cost.nextTemplate": "Próximo mensaje: plantilla {template}, {price}",
  "cost.free": "gratis", "cost.freeBecause": "gratis ({reason})", "cost.paid": "de pago: {amount} {currency} ({market}, {category})",
  "free.window_open_utility": "plantilla de utilidad con la ventana abierta", "free.free_entry_point": "punto de entrada gratuito de un anuncio",
  "free.service_message": "respuesta dentro de la ventana", "free.conversation_open": "conversación ya abierta",
  "category.marketing": "marketing", "category.utility": "utilidad", "category.authentication": "autenticación", "category.": "—",
  "message.template": "Plantilla {name} ({language})", "message.from": "{name}:", "message.fromUs": "Tú:", "message.newFrom": "Nuevo mensaje de {name}",
  "skip": "Saltar al contenido", "offline": "No se puede contactar con el servidor.",
  "category.service": "servicio", "category.authentication_international": "autenticación internacional",
  "kind.image": "Foto", "kind.video": "Vídeo", "kind.audio": "Nota de voz o audio", "kind.document": "Documento", "kind.sticker": "Sticker",
  "kind.location": "Ubicación", "kind.contacts": "Tarjeta de contacto", "kind.interactive": "Respuesta", "kind.button": "Pulsó un botón", "kind.reaction": "Reacción",
  "kind.order": "Pedido", "kind.system": "Aviso de WhatsApp", "kind.unsupported": "Un tipo de mensaje que WhatsApp no entrega a empresas",
  "kind.unknown": "Un mensaje de tipo {kind}", "kind.empty": "(vacío)",
  "status.queued": "en cola", "status.sent": "enviado", "status.delivered": "entregado", "status.read": "leído", "status.failed": "fallido", "status.received": "recibido",
  "resume.open": "Reanudar", "resume.title": "Reanudar con una plantilla", "resume.titleFor": "Reanudar el chat con {name}",
  "resume.none": "Aún no hay plantillas aprobadas. Crea una en Plantillas.", "resume.language": "Idioma", "resume.template": "Plantilla",
  "resume.variable": "Variable {{{n}}}", "resume.bound": "{{{n}}} es {field}: {value}", "resume.preview": "Vista previa",
  "resume.pricing": "Calculando el precio…", "resume.price": "Precio para este contacto: {price}", "resume.confirm": "Enviar plantilla", "resume.cancel": "Cancelar",
  "resume.fillAll": "Cada variable necesita un valor.", "resume.sent": "Plantilla {name} enviada.", "resume.retried": "Enviada de nuevo.",
  "resume.categoryChanged": "Meta cambió esta plantilla de {from} a {to}: su precio cambió.",
  "binding.typed": "la escribe el agente", "binding.contact_name": "el nombre del contacto", "binding.contact_number": "el número del contacto", "binding.agent_name": "el nombre del agente",
  "templates.intro": "Solo se pueden enviar plantillas aprobadas. Los estados llegan por los webhooks de Meta y la sincronización.", "templates.sync": "Sincronizar con Meta",
  "templates.synced": "{n} plantillas sincronizadas.", "templates.none": "Aún no hay plantillas.", "templates.name": "Nombre", "templates.language": "Idioma",
  "templates.category": "Categoría", "templates.status": "Estado", "templates.variables": "Variables", "templates.actions": "Acciones",
  "templates.categoryChanged": "Meta cambió la categoría (antes {from}, {at}): el precio cambió.", "templates.rejectedBecause": "Rechazada: {reason}",
  "templates.quality": "Calidad: {quality}", "templates.bindingFor": "Variable {{{n}}} de {name}", "templates.bound": "Vínculos guardados.",
  "templates.delete": "Eliminar", "templates.confirmDelete": "¿Eliminar {name} ({language}) en Meta?", "templates.deleted": "Plantilla eliminada.",
  "templates.create": "Nueva plantilla", "templates.header": "Encabezado (opcional)", "templates.body": "Cuerpo, con variables {{1}}, {{2}}…",
  "templates.footer": "Pie (opcional)", "templates.buttons": "Respuestas rápidas (separadas por comas)", "templates.examples": "Ejemplos de las variables (separados por comas)",
  "templates.submit": "Enviar a Meta", "templates.submitted": "{name} enviada a revisión.",
  "templateStatus.APPROVED": "Aprobada", "templateStatus.PENDING": "En revisión", "templateStatus.REJECTED": "Rechazada", "templateStatus.PAUSED": "Pausada",
  "templateStatus.DISABLED": "Desactivada", "templateStatus.DRAFT": "Borrador", "templateStatus.IN_APPEAL": "En apelación", "templateStatus.PENDING_DELETION": "Eliminándose",
  "spend.from": "Desde", "spend.to": "Hasta", "spend.show": "Mostrar", "spend.csv": "Descargar CSV", "spend.total": "Gastado en plantillas",
  "spend.templates": "{n} plantillas", "spend.saved": "Ahorrado", "spend.savedWhy": "plantillas innecesarias porque se respondió a tiempo",
  "spend.replies": "Respondidos en la ventana", "spend.repliesWhy": "chats respondidos con la ventana abierta",
  "spend.byDay": "Gasto por día", "spend.byMarket": "Gasto por mercado", "spend.byTemplate": "Por plantilla", "spend.nothing": "Nada gastado en estos días.",
  "spend.sent": "Enviadas", "spend.amount": "Importe",
  "settings.installation": "Esta instalación", "settings.warningLead": "Aviso antes de que se cierre una ventana", "settings.minutes": "{n} minutos",
  "settings.pricingModel": "Modelo de precios", "settings.model.per_message": "por mensaje (modelo de Meta desde julio de 2025)",
  "settings.model.conversation": "por conversación (modelo anterior de Meta)", "settings.provider": "WhatsApp",
  "settings.provider.sandbox": "el sandbox (simulado)", "settings.provider.cloud": "la Cloud API de Meta",
  "settings.fromEnvironment": "El aviso empieza con VENTANA_WARNING_MINUTES y la administración puede cambiarlo aquí, para todas las instancias, sin reiniciar; el modelo de precios es VENTANA_PRICING_MODEL.",
  "settings.changeLead": "Avisar estos minutos antes de que se cierre una ventana", "settings.saveLead": "Guardar", "settings.leadSaved": "Los chats avisan ahora {n} minutos antes de que se cierre su ventana.",
  "settings.budgets": "Presupuestos mensuales de plantillas", "settings.noBudgets": "Sin presupuesto: los envíos de plantillas no tienen tope.", "settings.for": "Para",
  "settings.monthly": "Importe mensual", "settings.spent": "Gastado este mes", "settings.left": "Queda", "settings.wholeInstallation": "Toda la instalación",
  "settings.saveBudget": "Guardar presupuesto", "settings.budgetSaved": "Presupuesto guardado.", "settings.clearBudget": "Deja el importe vacío para quitar un presupuesto.",
  "settings.rateCards": "Tarifas", "settings.effective": "Vigente desde", "settings.currency": "Moneda", "settings.markets": "Mercados",
  "settings.source": "Origen", "settings.inForce": "vigente", "settings.source.shipped": "incluida en Ventana", "settings.source.uploaded": "subida",
  "settings.upload": "Subir una tarifa (CSV con el formato de Meta)", "settings.uploadButton": "Subir", "settings.chooseFile": "Elige primero un archivo CSV.",
  "settings.uploaded": "Tarifa subida.",
  "agents.name": "Nombre", "agents.email": "Correo", "agents.role": "Rol", "agents.password": "Contraseña (8 caracteres o más)", "agents.add": "Añadir un agente",
  "agents.create": "Añadir agente", "agents.created": "{name} ya puede entrar.", "agents.disable": "Desactivar", "agents.you": "tú",
  "agents.confirmDisable": "¿Desactivar a {name}? Su sesión se cierra al momento.", "agents.disabled": "{name} está desactivado.",
};

const dictionaries = { en, es };

// Meta's failures in Spanish; English comes from the server's own explanation.
const metaFailuresEs = {
  130429: "Se alcanzó el límite de envíos de WhatsApp para este número. Espera un momento; Ventana reintenta sola.",
  131026: "Este número no puede recibir mensajes de WhatsApp. Comprueba el número o contacta por otra vía.",
  131047: "Ventana cerrada: pasaron más de 24 horas desde el último mensaje del contacto. Reanuda con una plantilla.",
  131049: "Meta retuvo el mensaje para proteger la interacción (límite de marketing por contacto). Espera al menos 24 horas.",
  131050: "El contacto se dio de baja de los mensajes de marketing. No le envíes plantillas de marketing.",
  132000: "El número de valores no coincide con la plantilla. Rellena exactamente sus variables.",
  132001: "La plantilla no existe en este idioma o no está aprobada. Elige una plantilla aprobada en el idioma del contacto.",
  132015: "Meta pausó la plantilla por baja calidad. Elige otra plantilla o edita esta.",
  132016: "Meta desactivó la plantilla tras varias pausas. Crea una plantilla nueva.",
};

/** Meta's failure `code` explained in the agent's language, or null to use the server's words. */
export function metaFailureText(code) {
  return current === "es" ? metaFailuresEs[code] ?? null : null;
}

function initial() {
  const saved = localStorage.getItem(KEY);
  if (languages.includes(saved)) return saved;
  const preferred = (navigator.languages ?? [navigator.language]).map((code) => (code ?? "").slice(0, 2).toLowerCase());
  return preferred.find((code) => languages.includes(code)) ?? "en";
}

let current = initial();

export function language() {
  return current;
}

/** The locale for dates and numbers. */
export function locale() {
  return current === "es" ? "es-ES" : "en-GB";
}

export function setLanguage(code) {
  if (!languages.includes(code)) return;
  current = code;
  localStorage.setItem(KEY, code);
  document.documentElement.lang = code;
}

/** The sentence for `key` with `{name}` placeholders filled; English if a key is missing. */
export function t(key, values = {}) {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Keys present in one language and not the other (checked by the browser tests). */
export function missingTranslations() {
  return {
    es: Object.keys(en).filter((key) => !(key in es)),
    en: Object.keys(es).filter((key) => !(key in en)),
  };
}
