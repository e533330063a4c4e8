import Foundation

/// A fresh directory under the system's temporary directory, removed with
/// everything in it when the object goes away.
public final class TemporaryDirectory {
    /// The directory's absolute path.
    public let path: String

    /// Makes the directory, named `<prefix>-XXXXXX`.
    public init(prefix: String = "huddle") throws {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "mkdtemp failed: errno \(errno)"])
        }
        path = String(cString: created)
    }

    /// The path of `name` inside the directory (nothing is created).
    public func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
