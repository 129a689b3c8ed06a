import Vapor

/// Serves the console's files (Public/) to GET and HEAD requests outside the API and webhook
/// routes. Vapor's `FileMiddleware` alone looks for a file on disk for every request — a
/// file-system call on a thread pool for each webhook and API call, and a POST to a file's
/// path answered with the file.
struct ConsoleFilesMiddleware: AsyncMiddleware {
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: "index.html")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard request.method == .GET || request.method == .HEAD,
              !path.hasPrefix("/api/"), !path.hasPrefix("/webhooks/") else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
