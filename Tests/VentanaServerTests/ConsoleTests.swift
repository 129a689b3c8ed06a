import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import VentanaServer

/// The console's files are served at `/` under a strict Content-Security-Policy.
@Suite("Console files")
struct ConsoleTests {
    func get(_ url: URL, _ path: String) async throws -> (status: Int, headers: [String: String], body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString + path), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for (name, value) in response.headers { headers[name.lowercased()] = value }
        return (Int(response.status.code), headers, String(buffer: body))
    }

    @Test func theConsoleIsServedAtTheRootWithAStrictPolicy() async throws {
        try await withRunningApp { _, url in
            let page = try await get(url, "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            let policy = try #require(page.headers["content-security-policy"])
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("unsafe"), "no inline script or style is allowed")
            #expect(page.headers["x-content-type-options"] == "nosniff")
            #expect(!page.body.contains("<script>") && !page.body.contains(" style="), "the page itself carries no inline code")
            #expect(!page.body.contains("http://") && !page.body.contains("https://"), "nothing is loaded from elsewhere")

            // Every module, stylesheet and icon the console refers to is there.
            var pending = ["/app/main.js"], seen: Set<String> = []
            let reference = try Regex(#"(?:from |import\(|src=|href=|url\()\s*["']?(\.{0,2}/[A-Za-z0-9_./-]+\.(?:js|css|svg))"#)
            for match in page.body.matches(of: reference) { pending.append(String(match.output[1].substring!)) }
            while let path = pending.popLast() {
                guard seen.insert(path).inserted else { continue }
                let file = try await get(url, path)
                #expect(file.status == 200, "\(path) is served")
                let base = path.split(separator: "/").dropLast().joined(separator: "/")
                for match in file.body.matches(of: reference) {
                    let target = String(match.output[1].substring!)
                    pending.append(target.hasPrefix("/") ? target : "/" + URL(fileURLWithPath: "/" + base + "/" + target).standardized.path.dropFirst())
                }
            }
            #expect(seen.count > 5)
        }
    }

    /// Files are served to GET and HEAD only.
    @Test func filesAreServedToReadsOnly() async throws {
        try await withRunningApp { _, url in
            #expect(try await get(url, "/app/main.js").status == 200)
            var post = HTTPClientRequest(url: url.absoluteString + "/app/main.js")
            post.method = .POST
            let posted = try await HTTPClient.shared.execute(post, timeout: .seconds(10))
            #expect(posted.status == .notFound)
            var head = HTTPClientRequest(url: url.absoluteString + "/index.html")
            head.method = .HEAD
            #expect(try await HTTPClient.shared.execute(head, timeout: .seconds(10)).status == .ok)
        }
    }
}
