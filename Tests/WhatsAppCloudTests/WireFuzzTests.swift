import Foundation
import Testing
@testable import WhatsAppCloud

/// A small deterministic generator (SplitMix64), so a failing mutation replays from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations of a fixture's bytes: the kinds of damage a delivery can suffer.
enum Mutation: CaseIterable {
    case flipByte, insertByte, deleteRange, truncate, duplicateRange, swapScalar

    /// Values of other types to put where a JSON value was.
    static let replacements = ["0", "-1", "1e400", "null", "true", "[]", "{}", "\"\"", "\"x\"", "[[[[[]]]]]", "\"\\ud800\"", "18446744073709551616"]

    func apply(to bytes: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        var out = bytes
        let at = Int.random(in: 0..<out.count, using: &rng)
        switch self {
        case .flipByte:
            out[at] ^= UInt8.random(in: 1...255, using: &rng)
        case .insertByte:
            out.insert(UInt8.random(in: 0...255, using: &rng), at: at)
        case .deleteRange:
            out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...16, using: &rng)))
        case .truncate:
            out = Array(out.prefix(at))
        case .duplicateRange:
            out.insert(contentsOf: out[at..<min(out.count, at + Int.random(in: 1...64, using: &rng))], at: at)
        case .swapScalar:
            // Replace the value after a ':' with a value of another type.
            let colons = out.indices.filter { out[$0] == UInt8(ascii: ":") }
            guard let colon = colons.randomElement(using: &rng) else { return out }
            var end = colon + 1
            var depth = 0
            var inString = false
            while end < out.count {
                let byte = out[end]
                if inString {
                    if byte == UInt8(ascii: "\\") { end += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    if depth == 0 { break }
                    depth -= 1
                } else if byte == UInt8(ascii: ","), depth == 0 {
                    break
                }
                end += 1
            }
            let replacement = Array(Self.replacements.randomElement(using: &rng)!.utf8)
            out.replaceSubrange((colon + 1)..<end, with: replacement)
        }
        return out
    }
}

@Suite("Webhook decoder under mutation")
struct WireFuzzTests {
    @Test func mutatedFixturesNeverCrashTheDecoder() throws {
        let bodies = try fixtureNames.map { try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("\($0).json"))) }
        #expect(!bodies.isEmpty)
        let seed: UInt64 = 0x5EED_2026_1125
        var rng = SplitMix64(state: seed)
        var decoded = 0
        var refused = 0
        for round in 0..<3_000 {
            var bytes = bodies[round % bodies.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                bytes = Mutation.allCases.randomElement(using: &rng)!.apply(to: bytes, using: &rng)
            }
            do {
                _ = try WebhookDelivery.decode(bytes)
                decoded += 1
            } catch {
                refused += 1  // a typed WebhookDecodingError: the only other outcome
            }
        }
        #expect(decoded + refused == 3_000, "seed \(seed)")
        #expect(decoded > 0 && refused > 0, "the mutations should produce both readable and unreadable deliveries")
    }
}
