/// A configured key file Huddle cannot use; the server does not start.
public struct AuthSetupError: Error, CustomStringConvertible {
    let key: String
    let path: String
    let problem: String

    public var description: String { "\(key) \(path) \(problem)" }
}
