import Foundation
import Testing
import WhatsAppCloud

/// `../shared/fixtures`, beside the package.
let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/fixtures")

@Suite("Webhook signatures")
struct WebhookSignatureTests {
    let body: Data
    let header: String
    let verifier = WebhookSignature(appSecret: "fixture-app-secret")

    init() throws {
        body = try Data(contentsOf: fixtures.appendingPathComponent("signed/inbound-text.body"))
        header = try String(contentsOf: fixtures.appendingPathComponent("signed/inbound-text.signature"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theFixtureSignatureVerifies() {
        #expect(verifier.isValid(header: header, body: body))
        #expect(verifier.header(for: body) == header)
    }

    @Test func changingAnyByteOfTheBodyFailsVerification() {
        for index in stride(from: 0, to: body.count, by: max(1, body.count / 97)) {
            var changed = body
            changed[index] ^= 0x01
            #expect(!verifier.isValid(header: header, body: changed), "byte \(index)")
        }
    }

    @Test func aWrongSecretFailsVerification() {
        #expect(!WebhookSignature(appSecret: "another-secret").isValid(header: header, body: body))
    }

    @Test(arguments: [nil, "", "sha256=", "sha1=abcdef", "sha256=zz", "sha256=abc", "SHA256=00"])
    func malformedHeadersAreRefused(_ header: String?) {
        #expect(!verifier.isValid(header: header, body: body))
    }

    @Test func metasPublishedTestVectorVerifies() {
        // whatsapp-cloud-api.md §1.2: secret test_app_secret, body with escaped non-ASCII.
        let vector = WebhookSignature(appSecret: "test_app_secret")
        let body = Data(#"{"text":{"body":"\u00e4\u00f6\u00e5"}}"#.utf8)
        #expect(vector.header(for: body) == "sha256=28a132fcd07b4a4dcf3ee8e776ab92654a5b421c9f49fc3fe1ee61e838ff55ff")
    }
}
