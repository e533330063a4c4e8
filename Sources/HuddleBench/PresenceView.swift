/// The users one storm session sees in its workspace: a bit per expected
/// member (user ids encode the member's index, `StormUser`), and any user
/// that is not one of them by name, which should never happen.
struct PresenceView {
    let size: Int
    private var words: [UInt64]
    private(set) var count = 0
    /// Users listed that are not members of this workspace.
    private(set) var ghosts: Set<String> = []

    init(size: Int) {
        self.size = size
        words = [UInt64](repeating: 0, count: (size + 63) / 64)
    }

    /// Exactly the workspace's members, no one missing and no one else.
    var isComplete: Bool { count == size && ghosts.isEmpty }

    mutating func removeAll() {
        for index in words.indices { words[index] = 0 }
        count = 0
        ghosts.removeAll()
    }

    mutating func insert(_ member: Int) {
        let (word, bit) = (member / 64, UInt64(1) << UInt64(member % 64))
        guard words[word] & bit == 0 else { return }
        words[word] |= bit
        count += 1
    }

    mutating func remove(_ member: Int) {
        let (word, bit) = (member / 64, UInt64(1) << UInt64(member % 64))
        guard words[word] & bit != 0 else { return }
        words[word] &= ~bit
        count -= 1
    }

    func contains(_ member: Int) -> Bool {
        words[member / 64] & (UInt64(1) << UInt64(member % 64)) != 0
    }

    mutating func insertGhost(_ user: String) { ghosts.insert(user) }
    mutating func removeGhost(_ user: String) { ghosts.remove(user) }
}
