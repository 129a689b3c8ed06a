import Crypto
import Foundation

/// Meta's `X-Hub-Signature-256` header: an HMAC-SHA256 of the raw request body keyed with the
/// app secret, written `sha256=<64 lowercase hex>`.
public struct WebhookSignature: Sendable {
    private let secret: [UInt8]

    /// A verifier for deliveries signed with `appSecret`.
    public init(appSecret: String) {
        secret = Array(appSecret.utf8)
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The header value Meta would send for `body`.
    public func header<Body: DataProtocol>(for body: Body) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` is a valid signature of exactly `body`. Compared in constant time.
    public func isValid<Body: DataProtocol>(header: String?, body: Body) -> Bool {
        guard let header, header.hasPrefix("sha256="),
              let expected = Self.bytes(fromHex: header.dropFirst("sha256=".count)), expected.count == 32 else {
            return false
        }
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: body, using: key)
    }

    private static func bytes(fromHex hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
