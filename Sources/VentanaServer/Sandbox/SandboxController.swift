import Foundation
import Vapor
import WhatsAppCloud

/// `/sandbox`: a page to play a WhatsApp contact, and the small API behind it.
struct SandboxController: RouteCollection {
    let phone: SandboxPhone
    let clock: SandboxClock

    func boot(routes: any RoutesBuilder) throws {
        let sandbox = routes.grouped("sandbox")
        sandbox.get(use: page)
        let api = sandbox.grouped("api")
        api.get("state", use: state)
        api.post("messages", use: send)
        api.post("replies", use: reply)
        api.post("clock", use: moveClock)
        api.post("network", use: network)
    }

    @Sendable
    func page(request: Request) async throws -> Response {
        let path = request.application.directory.publicDirectory + "sandbox/index.html"
        return try await request.fileio.asyncStreamFile(at: path)
    }

    struct State: Content {
        var now: Date
        var clockOffsetSeconds: Double
        var statusesHeld: Bool
        var nextFailure: Int?
        var businessNumber: String
        var contacts: [Contact]
        var received: [Received]
        var templates: [Template]

        struct Contact: Content { var waId: String; var name: String; var lastMessageAt: Date? }
        struct Received: Content { var id: String; var to: String; var kind: String; var text: String; var buttons: [String]; var at: Date; var status: String; var errorCode: Int? }
        struct Template: Content { var name: String; var language: String; var status: String; var category: String }
    }

    @Sendable
    func state(request: Request) async throws -> State {
        let contacts = await phone.contacts.values.sorted { $0.waID < $1.waID }
        return State(
            now: clock.now(), clockOffsetSeconds: clock.currentOffset, statusesHeld: await phone.statusesHeld, nextFailure: await phone.nextFailure, businessNumber: SandboxPhone.displayPhoneNumber,
            contacts: contacts.map { .init(waId: $0.waID, name: $0.name, lastMessageAt: $0.lastMessageAt) },
            received: await phone.received.map { .init(id: $0.id, to: $0.to, kind: $0.kind, text: $0.text, buttons: $0.buttons, at: $0.at, status: $0.status, errorCode: $0.errorCode) },
            templates: await phone.templates.map { .init(name: $0.name, language: $0.language, status: $0.status, category: $0.category) })
    }

    struct SendInput: Content {
        var waId: String
        var name: String
        var text: String
        var referral: Bool?
    }

    struct Sent: Content { var id: String }

    @Sendable
    func send(request: Request) async throws -> Sent {
        let input = try request.content.decode(SendInput.self)
        guard !input.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, input.text.count <= 4096 else {
            throw APIError(.unprocessableEntity, code: "invalid_text", message: "a message has 1 to 4096 characters")
        }
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            throw APIError(.unprocessableEntity, code: "invalid_name", message: "the contact needs a name of at most 100 characters")
        }
        do {
            return Sent(id: try await phone.contactSends(text: input.text, from: input.waId, name: name, referral: input.referral ?? false))
        } catch SandboxError.invalidNumber {
            throw APIError(.unprocessableEntity, code: "invalid_number", message: SandboxError.invalidNumber.description)
        }
    }

    struct ReplyInput: Content {
        var waId: String
        var name: String
        var messageId: String
        var button: String
    }

    @Sendable
    func reply(request: Request) async throws -> Sent {
        let input = try request.content.decode(ReplyInput.self)
        guard let message = await phone.received.first(where: { $0.id == input.messageId && $0.to == input.waId.filter(\.isNumber) }),
              message.buttons.contains(input.button) else {
            throw APIError(.unprocessableEntity, code: "invalid_button", message: "that message has no such button for this contact")
        }
        return Sent(id: try await phone.contactTaps(button: input.button, payload: nil, on: input.messageId, from: input.waId, name: input.name))
    }

    struct ClockInput: Content {
        var advanceSeconds: Double
    }

    @Sendable
    func moveClock(request: Request) async throws -> State {
        let input = try request.content.decode(ClockInput.self)
        guard input.advanceSeconds.isFinite, input.advanceSeconds > 0, input.advanceSeconds <= 30 * 86_400 else {
            throw APIError(.unprocessableEntity, code: "invalid_advance", message: "the sandbox clock moves forward by 1 second to 30 days")
        }
        clock.advance(by: input.advanceSeconds)
        return try await state(request: request)
    }

    struct NetworkInput: Content {
        /// True holds Meta's status webhooks (sent, delivered, read, failed) until set back to false.
        var holdStatuses: Bool?
        /// A Meta error code (e.g. 131026) the next message Ventana sends fails with; 0 cancels.
        var failNext: Int?
    }

    @Sendable
    func network(request: Request) async throws -> State {
        let input = try request.content.decode(NetworkInput.self)
        guard input.holdStatuses != nil || input.failNext != nil else {
            throw APIError(.badRequest, code: "invalid_network", message: "give hold_statuses (true or false) or fail_next (a Meta error code, 0 to cancel)")
        }
        if let code = input.failNext {
            guard code == 0 || MetaErrorCode.isKnown(code) else {
                throw APIError(.unprocessableEntity, code: "invalid_fail_next", message: "fail_next is one of Meta's error codes, such as 131026, or 0 to cancel")
            }
            await phone.failNext(with: code == 0 ? nil : code)
        }
        if let held = input.holdStatuses { await phone.holdStatuses(held) }
        return try await state(request: request)
    }
}
