import Vapor

/// Serves the console's files (Public/) to GET and HEAD requests outside the API and webhook
/// routes. Vapor's `FileMiddleware` alone looks for a file on disk for every request — a
/// file-system call on a thread pool for each webhook and API call, and a POST to a file's
/// path answered with the file.
struct ConsoleFilesMiddleware: Middleware {
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: "index.html")
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = request.url.path
        guard request.method == .GET || request.method == .HEAD,
              !path.hasPrefix("/api/"), !path.hasPrefix("/webhooks/") else {
            return next.respond(to: request)
        }
        return files.respond(to: request, chainingTo: next)
    }
}
