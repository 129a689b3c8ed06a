import Testing
@testable import VentanaCore

private func template(
    name: String = "order_update",
    header: TemplateHeader? = nil,
    body: String = "Hello {{1}}, your order {{2}} is on its way.",
    footer: String? = nil,
    buttons: [TemplateButton] = []
) -> MessageTemplate {
    MessageTemplate(
        name: name, language: TemplateLanguage(rawValue: "es_CO")!, category: .utility,
        components: TemplateComponents(header: header, body: body, footer: footer, buttons: buttons))
}

private func codes(_ template: MessageTemplate) -> [String] {
    TemplateRules.violations(of: template).map(\.code)
}

@Suite("Templates")
struct TemplateTests {
    @Test func aWellFormedTemplateBreaksNoRule() {
        let good = template(
            header: .text("Order {{1}}"), footer: "Reply STOP to opt out",
            buttons: [.quickReply(text: "Track"), .quickReply(text: "Help"), .url(text: "Open", url: "https://shop.example/o/{{1}}"), .phoneNumber(text: "Call us", phoneNumber: "+15550783881")])
        #expect(codes(good) == [])
    }

    @Test(arguments: [
        ("Order_Update", "invalid_name"), ("order-update", "invalid_name"), ("", "invalid_name"),
        (String(repeating: "a", count: 513), "invalid_name"),
    ])
    func namesAreLowercaseDigitsAndUnderscores(_ name: String, _ code: String) {
        #expect(codes(template(name: name)) == [code])
    }

    @Test func aNameOf512CharactersIsAllowed() {
        #expect(codes(template(name: String(repeating: "a", count: 512))) == [])
    }

    @Test(arguments: [
        ("", "body_required"),
        (String(repeating: "x", count: 1025), "body_too_long"),
        ("Hi {{1}} and {{3}}.", "variables_not_sequential"),
        ("Hi {{2}}.", "variables_not_sequential"),
        ("{{1}} is here.", "variable_at_edge"),
        ("Hello {{1}}", "variable_at_edge"),
        ("Hi {{1}}{{2}} there.", "adjacent_variables"),
        ("Hi {{1}} {{2}} there.", "adjacent_variables"),
        ("Hi {{First}} there.", "invalid_variable"),
        ("Hi {{1}} and {{name}} there.", "mixed_variables"),
    ])
    func bodyRules(_ body: String, _ code: String) {
        #expect(codes(template(body: body)).contains(code))
    }

    @Test func aBodyOf1024CharactersIsAllowed() {
        #expect(codes(template(body: String(repeating: "x", count: 1024))) == [])
    }

    @Test func headerAndFooterRules() {
        #expect(codes(template(header: .text(String(repeating: "h", count: 61)))) == ["header_too_long"])
        #expect(codes(template(header: .text("{{1}} and {{2}}"))).contains("header_too_many_variables"))
        #expect(codes(template(footer: String(repeating: "f", count: 61))) == ["footer_too_long"])
        #expect(codes(template(footer: "Thanks {{1}}")) == ["footer_variables"])
        #expect(codes(template(header: .text(String(repeating: "h", count: 60)), footer: String(repeating: "f", count: 60))) == [])
    }

    @Test func buttonRules() {
        #expect(codes(template(buttons: Array(repeating: .quickReply(text: "Ok"), count: 11))).contains("too_many_buttons"))
        #expect(codes(template(buttons: [.quickReply(text: String(repeating: "b", count: 26))])) == ["button_label_too_long"])
        #expect(codes(template(buttons: [.quickReply(text: String(repeating: "b", count: 25))])) == [])
        #expect(codes(template(buttons: [.quickReply(text: "A"), .url(text: "Go", url: "https://x.example"), .quickReply(text: "B")])) == ["quick_replies_not_grouped"])
        #expect(codes(template(buttons: (1...3).map { .url(text: "U\($0)", url: "https://x.example/\($0)") })) == ["too_many_url_buttons"])
        #expect(codes(template(buttons: [.phoneNumber(text: "A", phoneNumber: "+1555"), .phoneNumber(text: "B", phoneNumber: "+1556")])) == ["too_many_phone_buttons"])
        #expect(codes(template(buttons: [.url(text: "Go", url: "https://x.example/{{1}}/more")])) == ["url_variables"])
        #expect(codes(template(buttons: [.url(text: "Go", url: "ftp://x.example")])) == ["invalid_url"])
    }

    @Test func variablesAreFoundInHeaderBodyAndButtons() {
        let t = template(
            header: .text("Order {{1}}"), body: "Hi {{1}}, order {{2}} ships {{3}}. Thanks {{1}}!",
            buttons: [.quickReply(text: "Ok"), .url(text: "Track", url: "https://x.example/t/{{1}}")])
        #expect(t.variables.map(\.description) == ["header {{1}}", "body {{1}}", "body {{2}}", "body {{3}}", "button 1 {{1}}"])
        #expect(template(header: .media(.image)).variables.first == TemplateVariable(slot: .header, key: "media"))
    }

    @Test func renderingFillsEveryVariable() throws {
        let t = template(
            header: .text("Order {{1}}"), body: "Hi {{1}}, order {{2}} ships today. Bye {{1}}.",
            footer: "Shop", buttons: [.url(text: "Track", url: "https://x.example/t/{{1}}")])
        let rendered = try t.render(["A-17", "Ana", "A-17", "A17"])
        #expect(rendered.header == "Order A-17")
        #expect(rendered.body == "Hi Ana, order A-17 ships today. Bye Ana.")
        #expect(rendered.footer == "Shop")
        #expect(rendered.buttons == [.init(label: "Track", url: "https://x.example/t/A17")])
    }

    @Test func valuesThatLookLikeVariablesAreNotExpandedAgain() throws {
        let rendered = try template(body: "Hi {{1}}, see {{2}} now.").render(["{{2}}", "<b>x</b>"])
        #expect(rendered.body == "Hi {{2}}, see <b>x</b> now.")
    }

    @Test func aWrongCountIsATypedError() {
        #expect(throws: TemplateParameterError.wrongCount(expected: 2, given: 1)) { try template().render(["Ana"]) }
        #expect(throws: TemplateParameterError.wrongCount(expected: 2, given: 3)) { try template().render(["a", "b", "c"]) }
    }

    @Test func anEmptyValueIsATypedError() {
        #expect(throws: TemplateParameterError.emptyValue(TemplateVariable(slot: .body, key: "2"))) {
            try template().render(["Ana", "  "])
        }
    }

    @Test func onlyApprovedTemplatesAreSendable() {
        #expect(TemplateStatus.allCases.filter(\.isSendable) == [.approved])
        #expect(TemplateStatus.allCases.filter { $0.refusal == nil } == [.approved])
        #expect(TemplateStatus(metaName: "REINSTATED") == .approved)
        #expect(TemplateStatus(metaName: "paused") == .paused)
        #expect(TemplateStatus(metaName: "SOMETHING_NEW") == nil)
    }

    @Test(arguments: [("en-US", "en_US"), ("es", "es"), ("pt_br", "pt_BR"), ("fil", "fil"), ("ES_mx", "es_MX")])
    func languageCodesAreNormalised(_ raw: String, _ expected: String) {
        #expect(TemplateLanguage(rawValue: raw)?.rawValue == expected)
    }

    @Test(arguments: ["", "e", "english", "en_USA", "en-", "1a"])
    func badLanguageCodesAreRefused(_ raw: String) {
        #expect(TemplateLanguage(rawValue: raw) == nil)
    }

    @Test func categoriesReadInAnyCase() {
        #expect(TemplateCategory(metaName: "marketing") == .marketing)
        #expect(TemplateCategory(metaName: "UTILITY") == .utility)
        #expect(TemplateCategory(metaName: "service") == nil)
    }
}
