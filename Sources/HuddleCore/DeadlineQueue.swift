/// A binary min-heap of deadlines, ties broken by insertion order so that
/// everything due at the same millisecond fires in a deterministic order.
struct DeadlineQueue<Payload> {
    private struct Entry {
        let deadline: UInt64
        let order: UInt64
        let payload: Payload

        func precedes(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : order < other.order
        }
    }

    private var heap: [Entry] = []
    private var insertions: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    var first: (deadline: UInt64, payload: Payload)? {
        heap.first.map { ($0.deadline, $0.payload) }
    }

    mutating func push(_ payload: Payload, at deadline: UInt64) {
        insertions += 1
        heap.append(Entry(deadline: deadline, order: insertions, payload: payload))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func popFirst() -> (deadline: UInt64, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let entry = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (entry.deadline, entry.payload)
    }
}
