import Foundation
import Testing
@testable import WhatsAppCloud

// Reuses `SplitMix64`, the byte-level `Mutation`s and `fixtureNames` from WireFuzzTests and
// WireDecodingTests. Those damage bytes; these also edit the JSON tree, so most mutants stay
// valid JSON and reach the typed decoding (wrong types, missing keys, new keys, new `type`s).

/// One step from a JSON value to one of its children.
enum JSONStep: Hashable, Sendable {
    case key(String)
    case index(Int)
}

/// Edits of a delivery's JSON tree.
enum TreeMutation: CaseIterable {
    /// A value replaced by a value of another type: a string by a number, an object by an array, null …
    case swapType
    /// An object member or array element removed.
    case remove
    /// A member added to an object, under a name no decoder knows.
    case addMember
    /// An array element repeated.
    case duplicateElement
    /// A `type` (message, interactive, unsupported, system) set to another one.
    case retype

    static let replacements: [JSONValue] = [
        .null, .bool(true), .bool(false), .number(0), .number(-1), .number(1.5), .number(1_764_000_000), .number(1e300),
        .string(""), .string("x"), .string("1764000000"), .string("yesterday"), .string("wamid.Z"),
        .array([]), .array([.string("x")]), .array([.object([:])]), .object([:]), .object(["type": .string("x")]),
    ]
    static let types = ["text", "image", "audio", "document", "sticker", "video", "location", "contacts", "interactive", "button",
                        "reaction", "order", "system", "unsupported", "button_reply", "list_reply", "nfm_reply", "poll", "edit", ""]

    func apply(to root: JSONValue, using rng: inout SplitMix64) -> JSONValue {
        let paths = root.allPaths()
        func pick(_ isWanted: (JSONValue, [JSONStep]) -> Bool) -> [JSONStep]? {
            paths.filter { path in root.value(at: path[...]).map { value in isWanted(value, path) } ?? false }.randomElement(using: &rng)
        }
        switch self {
        case .swapType:
            let path = paths.randomElement(using: &rng)!
            return root.updating(path[...]) { old in
                Self.replacements.filter { $0.kind != old.kind }.randomElement(using: &rng)
            } ?? .null
        case .remove:
            guard let path = pick({ _, path in !path.isEmpty }) else { return root }
            return root.updating(path[...]) { _ in nil } ?? .null
        case .addMember:
            guard let path = pick({ value, _ in value.kind == 4 }) else { return root }
            let name = "zz_\(UInt8.random(in: 0...255, using: &rng))"
            let member = Self.replacements.randomElement(using: &rng)!
            return root.updating(path[...]) { object in
                guard case .object(var members) = object else { return object }
                members[name] = member
                return .object(members)
            } ?? .null
        case .duplicateElement:
            guard let path = pick({ value, _ in if case .array(let elements) = value { !elements.isEmpty } else { false } }) else { return root }
            return root.updating(path[...]) { array in
                guard case .array(let elements) = array else { return array }
                return .array(elements + elements)
            } ?? .null
        case .retype:
            guard let path = pick({ value, path in path.last == .key("type") && value.kind == 2 }) else { return root }
            let type = Self.types.randomElement(using: &rng)!
            return root.updating(path[...]) { _ in .string(type) } ?? .null
        }
    }
}

extension JSONValue {
    /// 0 null, 1 bool, 2 string, 3 number, 4 object, 5 array.
    var kind: Int {
        switch self {
        case .null: 0
        case .bool: 1
        case .string: 2
        case .number: 3
        case .object: 4
        case .array: 5
        }
    }

    /// Every path in the tree, parents first, object members in key order (so a seed replays).
    func allPaths(from prefix: [JSONStep] = []) -> [[JSONStep]] {
        switch self {
        case .object(let members):
            [prefix] + members.keys.sorted().flatMap { members[$0]!.allPaths(from: prefix + [.key($0)]) }
        case .array(let elements):
            [prefix] + elements.indices.flatMap { elements[$0].allPaths(from: prefix + [.index($0)]) }
        default:
            [prefix]
        }
    }

    /// The value at `path`, if there is one.
    func value(at path: ArraySlice<JSONStep>) -> JSONValue? {
        guard let step = path.first else { return self }
        switch (self, step) {
        case (.object(let members), .key(let key)): return members[key]?.value(at: path.dropFirst())
        case (.array(let elements), .index(let index)) where elements.indices.contains(index): return elements[index].value(at: path.dropFirst())
        default: return nil
        }
    }

    /// This tree with the value at `path` replaced by `transform`'s result, or removed when it returns nil.
    func updating(_ path: ArraySlice<JSONStep>, _ transform: (JSONValue) -> JSONValue?) -> JSONValue? {
        guard let step = path.first else { return transform(self) }
        switch (self, step) {
        case (.object(var members), .key(let key)):
            guard let child = members[key] else { return self }
            members[key] = child.updating(path.dropFirst(), transform)
            return .object(members)
        case (.array(var elements), .index(let index)) where elements.indices.contains(index):
            if let child = elements[index].updating(path.dropFirst(), transform) {
                elements[index] = child
            } else {
                elements.remove(at: index)
            }
            return .array(elements)
        default:
            return self
        }
    }
}

@Suite("Webhook decoder under JSON-tree and byte mutation")
struct WebhookFuzzTests {
    /// Set `WEBHOOK_FUZZ_SEED` (hex) to replay one failure: round r uses seed + r.
    static let baseSeed: UInt64 = ProcessInfo.processInfo.environment["WEBHOOK_FUZZ_SEED"].flatMap { UInt64($0, radix: 16) } ?? 0x7EB4_00C5_2026_1125
    static let rounds = 3_000
    /// Words from the fixtures' message bodies and profile names, which no error reason may repeat.
    static let privateWords = ["pedido", "gracias", "Factura", "anúncio", "confirmo", "Obelisco", "Mañana", "Gómez", "Pérez", "Martín", "Camila"]

    /// The JSON encoder for mutants: sorted keys, so a seed gives the same bytes on every run.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Damages a fixture with one to four tree or byte mutations.
    static func mutant(of tree: JSONValue, using rng: inout SplitMix64) throws -> [UInt8] {
        var current = tree
        var bytes: [UInt8]? = nil
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            if Int.random(in: 0..<10, using: &rng) < 7 {
                // A tree edit, while the bytes are still JSON.
                if let damaged = bytes {
                    guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(damaged)) else { continue }
                    current = parsed
                    bytes = nil
                }
                current = TreeMutation.allCases.randomElement(using: &rng)!.apply(to: current, using: &rng)
            } else {
                let start = try bytes ?? [UInt8](encoder.encode(current))
                bytes = Mutation.allCases.randomElement(using: &rng)!.apply(to: start, using: &rng)
            }
        }
        return try bytes ?? [UInt8](encoder.encode(current))
    }

    /// Whether the delivery holds a template id that is not a decimal number (a known encoding bug).
    static func hasNonDecimalTemplateID(_ delivery: WebhookDelivery) -> Bool {
        delivery.entry.flatMap(\.changes).contains { change in
            let id: String? = switch change.value {
            case .templateStatus(let update): update.messageTemplateID
            case .templateQuality(let update): update.messageTemplateID
            case .templateCategory(let update): update.messageTemplateID
            default: nil
            }
            return id.map { Int64($0) == nil || String(Int64($0)!) != $0 } ?? false
        }
    }

    @Test func mutatedDeliveriesDecodeOrRefuseCleanlyAndReencodeFaithfully() throws {
        let sources = try fixtureNames.map { name in
            (name, try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: fixtures.appendingPathComponent("\(name).json"))))
        }
        try #require(!sources.isEmpty)
        var decoded = 0, refused = 0, knownMismatches = 0, failures = 0
        func fail(_ message: String, round: Int, seed: UInt64) {
            failures += 1
            if failures <= 10 { Issue.record("\(message) — round \(round) (\(sources[round % sources.count].0)) of seed \(String(seed, radix: 16)); replay: WEBHOOK_FUZZ_SEED=\(String(seed, radix: 16))") }
        }
        for round in 0..<Self.rounds {
            let seed = Self.baseSeed &+ UInt64(round)
            var rng = SplitMix64(state: seed)
            let bytes = try Self.mutant(of: sources[round % sources.count].1, using: &rng)
            let delivery: WebhookDelivery
            do {
                delivery = try WebhookDelivery.decode(bytes)
            } catch {
                // Typed throws: a WebhookDecodingError is the only way out besides a value.
                refused += 1
                if let word = Self.privateWords.first(where: error.description.contains) {
                    fail("the reason quotes \"\(word)\": \(error)", round: round, seed: Self.baseSeed)
                }
                continue
            }
            decoded += 1
            do {
                let again = try WebhookDelivery.decode(delivery.metaBody())
                if again != delivery {
                    if Self.hasNonDecimalTemplateID(delivery) { knownMismatches += 1 } else { fail("re-encoding changed the value", round: round, seed: Self.baseSeed) }
                }
            } catch {
                fail("re-encoding failed: \(error)", round: round, seed: Self.baseSeed)
            }
        }
        #expect(decoded + refused == Self.rounds)
        #expect(failures == 0, "seed \(String(Self.baseSeed, radix: 16))")
        // Both outcomes must be common, or the mutations are not probing anything.
        #expect(decoded > Self.rounds / 10 && refused > Self.rounds / 10, "decoded \(decoded), refused \(refused)")
        print("webhook fuzz: seed \(String(Self.baseSeed, radix: 16)), \(decoded) decoded, \(refused) refused, \(knownMismatches) non-decimal template ids")
    }
}
