extension String {
    /// `count` copies of `self`.
    func times(_ count: Int) -> String { String(repeating: self, count: count) }
}
