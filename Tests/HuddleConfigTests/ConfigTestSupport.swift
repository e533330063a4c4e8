import Foundation
import HuddleConfig

/// A config file in a fresh temporary directory, removed by `remove()`.
struct TemporaryConfigFile {
    let path: String
    private let directory: URL

    init(_ contents: String) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("huddle-config-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("huddle.toml").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Loads a config from `contents` (written to a temporary file, if given).
func loadConfig(
    file contents: String? = nil, environment: [String: String] = [:],
    overrides: CommandLineOverrides = CommandLineOverrides()
) throws -> HuddleConfig {
    guard let contents else {
        return try HuddleConfig.load(file: nil, environment: environment, overrides: overrides)
    }
    let file = try TemporaryConfigFile(contents)
    defer { file.remove() }
    return try HuddleConfig.load(file: file.path, environment: environment, overrides: overrides)
}

/// The problems loading reports (none if it succeeds), with the temporary
/// file's path replaced by `FILE` so tests can spell sources out.
func loadProblems(
    file contents: String? = nil, environment: [String: String] = [:],
    overrides: CommandLineOverrides = CommandLineOverrides()
) throws -> [ConfigProblem] {
    var file: TemporaryConfigFile?
    if let contents { file = try TemporaryConfigFile(contents) }
    defer { file?.remove() }
    do {
        _ = try HuddleConfig.load(file: file?.path, environment: environment, overrides: overrides)
        return []
    } catch {
        return error.problems.map { problem in
            let source = file.map { problem.source.replacingOccurrences(of: $0.path, with: "FILE") } ?? problem.source
            return ConfigProblem(key: problem.key, source: source, message: problem.message)
        }
    }
}
