import Crypto
import Foundation

/// What Meta's webhook calls are checked against: the app secret that signs them and the
/// verify token of the subscription handshake.
public struct WebhookSecrets: Sendable {
    public let appSecret: String
    public let verifyToken: String

    public init(appSecret: String, verifyToken: String) {
        self.appSecret = appSecret
        self.verifyToken = verifyToken
    }

    /// Whether `candidate` is the verify token, compared without leaking its length or content through timing.
    func isVerifyToken(_ candidate: String) -> Bool {
        let key = SymmetricKey(size: .bits256)
        let expected = HMAC<SHA256>.authenticationCode(for: Data(verifyToken.utf8), using: key)
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: Data(candidate.utf8), using: key)
    }
}
