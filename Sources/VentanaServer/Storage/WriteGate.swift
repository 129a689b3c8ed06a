/// Lets one SQLite write transaction run at a time. SQLite has one writer anyway; without
/// the gate, connections that begin reading and then try to write spin on its locks.
actor WriteGate {
    /// One gate per process: SQLite files are not shared between processes here.
    static let sqlite = WriteGate()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension WriteGate {
    /// Runs `work` alone: no other `run` of this gate overlaps it.
    nonisolated func run<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await work()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }
}
