import Foundation

/// The next clock-driven transition of every chat (open → expiring, expiring → expired), in
/// due order: what the real-time scheduler waits for. Each chat has at most one pending
/// transition; scheduling it again replaces the old one. Memory stays flat per chat: one heap
/// slot and one index entry.
public struct TransitionSchedule<ChatID: Hashable & Sendable>: Sendable {
    /// A transition that falls due at `dueAt`.
    public struct Entry: Sendable, Equatable {
        public let chat: ChatID
        public let dueAt: Date
        public let to: SessionState

        public init(chat: ChatID, dueAt: Date, to: SessionState) {
            self.chat = chat
            self.dueAt = dueAt
            self.to = to
        }
    }

    private var heap: [Entry] = []
    private var position: [ChatID: Int] = [:]

    public init() {}

    /// How many chats have a pending transition.
    public var count: Int { heap.count }

    /// Whether a chat has a pending transition.
    public func contains(_ chat: ChatID) -> Bool { position[chat] != nil }

    /// The earliest pending transition.
    public var next: Entry? { heap.first }

    /// Sets a chat's pending transition from its snapshot (removes it when none is pending).
    public mutating func schedule(_ chat: ChatID, from snapshot: SessionSnapshot) {
        if let due = snapshot.nextTransitionAt, let state = snapshot.nextState {
            schedule(Entry(chat: chat, dueAt: due, to: state))
        } else {
            remove(chat)
        }
    }

    /// Sets a chat's pending transition, replacing any other.
    public mutating func schedule(_ entry: Entry) {
        if let index = position[entry.chat] {
            let earlier = entry.dueAt < heap[index].dueAt
            heap[index] = entry
            earlier ? siftUp(index) : siftDown(index)
        } else {
            heap.append(entry)
            position[entry.chat] = heap.count - 1
            siftUp(heap.count - 1)
        }
    }

    /// Forgets a chat's pending transition.
    public mutating func remove(_ chat: ChatID) {
        guard let index = position.removeValue(forKey: chat) else { return }
        let last = heap.removeLast()
        guard index < heap.count else { return }
        heap[index] = last
        position[last.chat] = index
        siftDown(index)
        siftUp(index)
    }

    /// Removes and returns every transition due at or before `now`, earliest first.
    public mutating func popDue(at now: Date) -> [Entry] {
        var due: [Entry] = []
        while let first = heap.first, first.dueAt <= now {
            due.append(first)
            remove(first.chat)
        }
        return due
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].dueAt < heap[parent].dueAt else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].dueAt < heap[smallest].dueAt { smallest = left }
            if right < heap.count, heap[right].dueAt < heap[smallest].dueAt { smallest = right }
            guard smallest != parent else { return }
            swapAt(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        position[heap[a].chat] = a
        position[heap[b].chat] = b
    }
}
