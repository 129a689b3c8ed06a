"""The console in a real Chromium against a real Ventana in sandbox mode: sign-in, the five
states side by side, a window expiring while watched, the locked composer, Resume with its
price and red → black, a reply unlocking the composer, templates, spend, Spanish."""
import time

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ADMIN, chromium

HOUR = 3600


def wait(driver, condition, seconds=10, message=""):
    # Live updates redraw parts of the page: an element read mid-redraw is read again.
    return WebDriverWait(driver, seconds, poll_frequency=0.1,
                         ignored_exceptions=[StaleElementReferenceException, NoSuchElementException]).until(condition, message)


def sign_in(driver, ventana):
    driver.get(ventana.url + "/")
    wait(driver, EC.visibility_of_element_located((By.ID, "email"))).send_keys(ADMIN[0])
    driver.find_element(By.ID, "password").send_keys(ADMIN[1])
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(driver, EC.presence_of_element_located((By.ID, "chat-list")))


def list_state(driver, conversation_id):
    """The state the list shows for a chat ("" while it is not listed)."""
    return driver.execute_script(
        "const li = document.querySelector(`#chat-list li[data-id='${arguments[0]}']`); return li ? li.dataset.state : ''", conversation_id)


def wait_state(driver, conversation_id, state, seconds=10):
    wait(driver, lambda d: list_state(d, conversation_id) == state, seconds,
         f"chat {conversation_id} never showed {state} (shows {list_state(driver, conversation_id)!r})")


def text(driver, selector):
    """An element's visible text, read in one step (the list may redraw between two)."""
    return driver.execute_script("return document.querySelector(arguments[0])?.innerText ?? ''", selector).strip()


def click(driver, selector):
    """Clicks an element, finding it again if a live redraw replaced it in between."""
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, selector).click() or True)


def pane_state(driver):
    return driver.execute_script("return document.getElementById('chat')?.dataset.state ?? ''")


def console_errors(driver):
    """Errors the page logged, apart from the wrong password the test types on purpose."""
    return [entry for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and not ("/api/v1/auth/login" in entry["message"] and "401" in entry["message"])]


def test_an_agents_day(ventana, browser, shot):
    driver = browser
    driver.get(ventana.url + "/")
    wait(driver, EC.visibility_of_element_located((By.ID, "email")))
    shot(driver, "login")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "Enter your email" in wait(driver, EC.visibility_of_element_located((By.ID, "login-error"))).text
    driver.find_element(By.ID, "email").send_keys(ADMIN[0])
    driver.find_element(By.ID, "password").send_keys("not-the-password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(driver, lambda d: "do not match" in d.find_element(By.ID, "login-error").text)
    driver.find_element(By.ID, "password").clear()
    sign_in(driver, ventana)
    shot(driver, "signed-in-empty-inbox")
    # Every chat side by side: a resumed one leaves the shared inbox for its sender's Ongoing list.
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="all"]').click()

    # --- Five chats, one in each state, on the sandbox clock.
    ventana.contact_writes("447700900004", "Dora Expired", "Hello?")
    ventana.contact_writes("525500000005", "Rosa Resuming", "Hola")
    ventana.contact_writes("525500000006", "Walter Awaiting", "Hola")
    ventana.advance(1.5 * HOUR)
    ventana.contact_writes("34600000003", "Carla Expiring", "¿Seguís ahí?")
    ventana.advance(23.5 * HOUR)
    ventana.contact_writes("573001234567", "Ana <img src=x onerror=alert(1)> Gómez", "Necesito ayuda <b>ya</b>")
    dora, rosa, walter, carla, ana = (ventana.chat_of(n)["id"] for n in
                                      ("447700900004", "525500000005", "525500000006", "34600000003", "573001234567"))
    ventana.call("POST", f"/api/v1/conversations/{walter}/templates", {"name": "spring_offer", "language": "en_US", "parameters": ["Walter", "10%"]})
    wait_state(driver, walter, "awaiting_reply", 35)
    ventana.hold_statuses(True)
    ventana.call("POST", f"/api/v1/conversations/{rosa}/templates", {"name": "spring_offer", "language": "en_US", "parameters": ["Rosa", "10%"]})
    expected = {dora: "expired", rosa: "resuming", walter: "awaiting_reply", carla: "expiring", ana: "open"}
    for chat, state in expected.items():
        wait_state(driver, chat, state, 35)
    labels = {chat: text(driver, f'#chat-list li[data-id="{chat}"] .state-label') for chat in expected}
    assert labels[carla] == "About to expire" and labels[rosa] == "Resuming" and labels[walter] == "Awaiting reply" and labels[dora] == "Expired"
    order = driver.execute_script("return [...document.querySelectorAll('#chat-list li[data-id]')].map((li) => li.dataset.id)")
    assert order.index(carla) < order.index(ana), "the expiring chat comes first"
    # A contact's markup is shown as text, never run.
    assert "<img src=x onerror=alert(1)>" in text(driver, f'#chat-list li[data-id="{ana}"]')
    assert driver.execute_script("return document.querySelectorAll('#chat-list img[src=x], img[onerror]').length") == 0
    shot(driver, "states-side-by-side")

    # --- Rosa's template is confirmed: red turns black.
    ventana.hold_statuses(False)
    wait_state(driver, rosa, "awaiting_reply")

    # --- Carla's window expires while the agent watches it.
    click(driver, f'#chat-list li[data-id="{carla}"] a')
    wait(driver, lambda d: pane_state(d) == "expiring")
    assert driver.find_element(By.ID, "composer-text").is_enabled()
    banner = driver.find_element(By.ID, "banner").text
    assert "closes in" in banner and "min" in banner, banner
    assert "free" in driver.find_element(By.ID, "next-cost").text
    shot(driver, "expiring-chat-watched")
    ventana.advance(31 * 60)
    wait(driver, lambda d: pane_state(d) == "expired", 5, "the open chat did not turn expired live")
    wait_state(driver, carla, "expired", 5)

    # --- The locked composer.
    composer = driver.find_element(By.ID, "composer-text")
    assert not composer.is_enabled()
    assert "window closed" in driver.find_element(By.ID, "lock-reason").text
    assert not driver.find_elements(By.ID, "send")
    wait(driver, lambda d: "paid" in d.find_element(By.ID, "next-cost").text)
    shot(driver, "locked-composer")

    # --- Resume: template, variables, preview, price; then red → black.
    ventana.hold_statuses(True)
    driver.find_element(By.ID, "resume").click()
    dialog = wait(driver, EC.visibility_of_element_located((By.ID, "resume-dialog")))
    assert Select(driver.find_element(By.ID, "resume-language")).first_selected_option.text == "es", "Spain's contact gets Spanish"
    Select(driver.find_element(By.ID, "resume-template")).select_by_value("follow_up")
    confirm = driver.find_element(By.ID, "resume-confirm")
    assert not confirm.is_enabled(), "nothing is sent before every variable has a value"
    driver.find_element(By.ID, "variable-1").send_keys("Carla")
    driver.find_element(By.ID, "variable-2").send_keys("Luis")
    preview = driver.find_element(By.ID, "resume-preview").text
    assert "Hola Carla, soy Luis" in preview, preview
    wait(driver, lambda d: "paid" in d.find_element(By.ID, "resume-price").text)
    price = driver.find_element(By.ID, "resume-price").text
    assert "USD" in price and "ES" in price and "utility" in price, price
    shot(driver, "resume-with-price")
    confirm.click()
    wait(driver, EC.invisibility_of_element_located((By.ID, "resume-dialog")))
    wait(driver, lambda d: pane_state(d) == "resuming")
    assert "Waiting for Meta" in driver.find_element(By.ID, "banner").text
    assert driver.find_element(By.CSS_SELECTOR, "#banner img").get_attribute("src").endswith("/icons/resuming.svg")
    shot(driver, "resuming-red")
    ventana.hold_statuses(False)
    wait(driver, lambda d: pane_state(d) == "awaiting_reply")
    assert driver.find_element(By.CSS_SELECTOR, "#banner img").get_attribute("src").endswith("/icons/awaiting_reply.svg")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".messages li[data-kind=template][data-status=read]"))
    shot(driver, "awaiting-reply-black")

    # --- Carla taps the template's button: the composer unlocks at once.
    template = [m for m in ventana.phone()["received"] if m["to"] == "34600000003" and m["kind"] == "template"][-1]
    status, _ = ventana.call("POST", "/sandbox/api/replies", {"wa_id": "34600000003", "name": "Carla Expiring", "message_id": template["id"], "button": "Continuar"})
    assert status == 200
    wait(driver, lambda d: pane_state(d) == "open")
    composer = driver.find_element(By.ID, "composer-text")
    assert composer.is_enabled()
    composer.send_keys("¡Gracias Carla! Seguimos.")
    driver.find_element(By.ID, "send").click()
    wait(driver, lambda d: any("Seguimos" in li.text for li in d.find_elements(By.CSS_SELECTOR, ".messages li.outbound")))
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".messages li.outbound[data-kind=text][data-status=read]"))
    shot(driver, "reply-unlocked-composer")

    # --- The chats the admin resumed are theirs now: in Ongoing, out of the shared inbox.
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="ongoing"]').click()
    wait(driver, lambda d: all(list_state(d, c) for c in (carla, walter, rosa)) and not list_state(d, dora) and not list_state(d, ana),
         10, "the resumed chats are not the only ones in Ongoing")
    shot(driver, "ongoing-after-resume")

    # --- Templates: create one, watch Meta approve it.
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="templates"]').click()
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, '#template-table tr[data-name="follow_up"]')))
    driver.find_element(By.ID, "new-name").send_keys("order_ready")
    driver.find_element(By.ID, "new-body").send_keys("Hola {{1}}, tu pedido está listo.")
    driver.find_element(By.ID, "new-examples").send_keys("Ana")
    driver.find_element(By.CSS_SELECTOR, "#create-template button[type=submit]").click()
    row = '#template-table tr[data-name="order_ready"] .badge'
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, row) and d.find_element(By.CSS_SELECTOR, row).text == "Pending review")
    shot(driver, "template-submitted")
    time.sleep(3.5)
    driver.find_element(By.ID, "sync").click()
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, row).text == "Approved")
    shot(driver, "templates")

    # --- Spend: what the three templates cost, by day and by market.
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="spend"]').click()
    # The report runs to the server's day: the sandbox clock is a day ahead of the browser's.
    wait(driver, lambda d: "3 templates" in d.find_element(By.ID, "spend-total").text)
    assert driver.find_element(By.ID, "spend-to").get_attribute("value") == ventana.call("GET", "/api/v1/conversations?view=all")[1]["now"][:10]
    assert len(driver.find_elements(By.CSS_SELECTOR, "#chart-market svg rect.bar")) == 2, "Mexico and Spain"
    assert driver.find_elements(By.CSS_SELECTOR, "#chart-day svg rect.bar")
    shot(driver, "spend")

    # --- Settings and agents render for the admin.
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="settings"]').click()
    wait(driver, lambda d: "60 minutes" in d.find_element(By.ID, "warning-lead").text)
    lead = driver.find_element(By.ID, "warning-minutes")
    lead.clear()
    lead.send_keys("90")
    driver.find_element(By.CSS_SELECTOR, "#warning-form button[type=submit]").click()
    wait(driver, lambda d: "90 minutes" in d.find_element(By.ID, "warning-lead").text)
    shot(driver, "settings")
    assert ventana.call("PUT", "/api/v1/settings", {"warning_minutes": 60})[0] == 200
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="agents"]').click()
    wait(driver, lambda d: ADMIN[0] in d.find_element(By.ID, "agent-list").text)

    # --- Spanish, switched from the header.
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="inbox"]').click()
    Select(driver.find_element(By.ID, "language")).select_by_value("es")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, 'nav a[data-page="inbox"]').text == "Bandeja")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    driver.find_element(By.CSS_SELECTOR, 'nav a[data-page="all"]').click()
    # Dora is in the inbox list too: wait for the All list's own label, not the one it replaces.
    wait(driver, lambda d: text(d, f'#chat-list li[data-id="{dora}"] .state-label') == "Expirada", 10,
         "the expired chat's label is not in Spanish")
    click(driver, f'#chat-list li[data-id="{dora}"] a')
    wait(driver, lambda d: pane_state(d) == "expired")
    assert "Bloqueado" in driver.find_element(By.ID, "lock-reason").text
    shot(driver, "spanish")
    errors = console_errors(driver)
    assert errors == [], errors


def test_the_console_in_spanish_at_phone_width(ventana, shot):
    driver = chromium(language="es-ES", width=390, height=844, phone=True)
    try:
        ventana.contact_writes("573009999999", "Lucía", "Hola, ¿me ayudan?")
        chat = ventana.chat_of("573009999999")["id"]
        driver.get(ventana.url + "/")
        wait(driver, EC.visibility_of_element_located((By.ID, "email")))
        assert driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").text == "Entrar", "the browser's language is Spanish"
        sign_in(driver, ventana)
        missing = driver.execute_async_script("const done = arguments[0]; import('/app/i18n.js').then((m) => done(m.missingTranslations()));")
        assert missing == {"es": [], "en": []}, missing
        driver.get(ventana.url + f"/#/inbox/{chat}")
        wait(driver, lambda d: pane_state(d) == "open")
        assert not driver.find_element(By.ID, "chat-list").is_displayed(), "one pane at a time on a phone"
        shot(driver, "phone-chat")
        assert driver.execute_script("return window.innerWidth") == 390
        width = driver.execute_script("return document.documentElement.scrollWidth")
        wide = driver.execute_script("return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391).map((e) => e.tagName + '.' + e.className).slice(0, 5)")
        assert width <= 390, f"nothing wider than the phone ({width}px): {wide}"
        driver.find_element(By.CSS_SELECTOR, "a.back").click()
        wait(driver, lambda d: d.find_element(By.ID, "chat-list").is_displayed())
        shot(driver, "phone-list")
    finally:
        driver.quit()


def test_every_control_has_a_name_and_the_keyboard_reaches_it(ventana, browser, shot):
    driver = browser
    sign_in(driver, ventana)
    unnamed = driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea, button')].filter((el) => {
          if (el.type === 'hidden') return false;
          const label = el.labels && el.labels.length > 0;
          const aria = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
          const text = el.tagName === 'BUTTON' && el.textContent.trim().length > 0;
          return !(label || aria || text);
        }).map((el) => el.outerHTML.slice(0, 120));""")
    assert unnamed == []
    # Tab from the top: the skip link comes first, then the navigation.
    driver.refresh()
    wait(driver, EC.presence_of_element_located((By.ID, "chat-list")))
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("class") == "skip-link"
    policy = driver.execute_script("return fetch('/').then((r) => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in policy
    shot(driver, "keyboard")


def test_a_failed_template_is_explained_and_retry_sends_again(ventana, browser, shot):
    driver = browser
    ventana.contact_writes("5491112345678", "Bruno Retry", "Hola")
    chat = ventana.chat_of("5491112345678")["id"]
    ventana.advance(25 * HOUR)
    sign_in(driver, ventana)
    driver.get(ventana.url + f"/#/all/{chat}")
    wait(driver, lambda d: pane_state(d) == "expired")
    status, _ = ventana.call("POST", "/sandbox/api/network", {"fail_next": 131026})
    assert status == 200
    click(driver, "#resume")
    wait(driver, EC.visibility_of_element_located((By.ID, "resume-dialog")))
    for position in (1, 2):
        driver.find_element(By.ID, f"variable-{position}").send_keys(f"valor {position}")
    wait(driver, lambda d: "paid" in d.find_element(By.ID, "resume-price").text)
    assert "AR" in driver.find_element(By.ID, "resume-price").text, "Argentina's price"
    driver.find_element(By.ID, "resume-confirm").click()
    wait(driver, lambda d: d.find_elements(By.ID, "retry"), 10, "no Retry after Meta's failure")
    banner = text(driver, "#banner")
    assert "cannot receive WhatsApp messages" in banner and "Check the number" in banner, banner
    assert text(driver, ".messages li.failed .failure").startswith("This number cannot receive")
    assert "not charged" in text(driver, ".messages li.failed .meta")
    assert "template failed" in text(driver, "#lock-reason")
    shot(driver, "failed-with-reason")
    click(driver, "#retry")
    wait(driver, lambda d: pane_state(d) == "awaiting_reply", 10, "the retry did not go out")
    sent = [m for m in ventana.phone()["received"] if m["to"] == "5491112345678"]
    assert [m["status"] for m in sent][:1] == ["failed"] and len(sent) == 2, sent
    shot(driver, "retried")


def test_signing_out_and_in_again_keeps_the_console_live(ventana, browser, shot):
    driver = browser
    sign_in(driver, ventana)
    driver.find_element(By.ID, "sign-out").click()
    wait(driver, EC.visibility_of_element_located((By.ID, "email")))
    assert driver.execute_script("return sessionStorage.getItem('ventana.token') ?? localStorage.getItem('ventana.token')") is None
    sign_in(driver, ventana)
    assert text(driver, "#notifications").find("New chat") == -1, "nothing of the last session's notifications"
    ventana.contact_writes("5215512345678", "Marisol Live", "¿Hay alguien?")
    chat = ventana.chat_of("5215512345678")["id"]
    wait_state(driver, chat, "open", 5)  # the list's own refresh is every 30 s: this came over the stream
    shot(driver, "live-after-signing-in-again")


def test_playing_a_contact_from_the_sandbox_page(ventana, browser, shot):
    driver = browser
    driver.get(ventana.url + "/sandbox")
    Select(wait(driver, EC.visibility_of_element_located((By.ID, "country")))).select_by_value("34")
    assert driver.find_element(By.ID, "wa-id").get_attribute("value") == "34600123456"
    name = driver.find_element(By.ID, "name")
    name.clear()
    name.send_keys("Pilar Sandbox")
    driver.find_element(By.ID, "text").send_keys("Hola desde el sandbox")
    driver.find_element(By.CSS_SELECTOR, "#compose button[type=submit]").click()
    wait(driver, lambda d: "Delivered" in d.find_element(By.ID, "compose-status").text)
    chat = ventana.chat_of("34600123456")
    assert chat["contact"]["name"] == "Pilar Sandbox" and chat["session"]["state"] == "open"

    # A day later on the sandbox clock, the business resumes; the contact taps the button.
    driver.find_element(By.CSS_SELECTOR, '[data-advance="86400"]').click()
    wait(driver, lambda d: "ahead of real time" in d.find_element(By.ID, "offset").text)
    status, _ = ventana.call("POST", f"/api/v1/conversations/{chat['id']}/templates",
                             {"name": "follow_up", "language": "es", "parameters": ["Pilar", "Luis"]})
    assert status == 202
    # The phone lists what every contact received: this contact's template, newest first.
    click_xpath = '//ol[@id="received"]/li[contains(., "to +34600123456 · template")]//button[text()="Continuar"]'
    wait(driver, lambda d: d.find_elements(By.XPATH, click_xpath), 10)
    shot(driver, "template-on-the-phone")
    wait(driver, lambda d: d.find_element(By.XPATH, click_xpath).click() or True)
    wait(driver, lambda d: "Continuar" in d.find_element(By.ID, "compose-status").text)
    wait(driver, lambda d: ventana.chat_of("34600123456")["session"]["state"] == "open", 5)

    # Meta's side: holding statuses from the page.
    driver.find_element(By.ID, "hold").click()
    wait(driver, lambda d: ventana.phone()["statuses_held"] is True)
    driver.find_element(By.ID, "hold").click()
    wait(driver, lambda d: ventana.phone()["statuses_held"] is False)
    shot(driver, "sandbox")
