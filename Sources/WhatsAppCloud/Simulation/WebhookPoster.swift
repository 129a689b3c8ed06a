import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts a webhook delivery the way Meta does: JSON body, `X-Hub-Signature-256` over the exact bytes.
public enum WebhookPoster {
    /// Posts `delivery` to `url` signed with `appSecret`; returns the HTTP status of the answer.
    @discardableResult
    public static func post(_ delivery: WebhookDelivery, to url: URL, appSecret: String, client: HTTPClient, timeout: TimeAmount = .seconds(10)) async throws -> Int {
        let body = try delivery.metaBody()
        return try await post(body: body, to: url, signature: WebhookSignature(appSecret: appSecret).header(for: body), client: client, timeout: timeout)
    }

    /// Posts raw bytes with a given signature header (nil sends none): for tests of bad input.
    @discardableResult
    public static func post(body: Data, to url: URL, signature: String?, client: HTTPClient, timeout: TimeAmount = .seconds(10)) async throws -> Int {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "facebookexternalua")
        if let signature { request.headers.add(name: "X-Hub-Signature-256", value: signature) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: timeout)
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
