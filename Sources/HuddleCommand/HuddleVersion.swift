/// The version `huddle --version` prints.
enum HuddleVersion {
    static let current = "0.1.0"
}
