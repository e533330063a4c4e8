import Foundation

/// The bundled client's files, read into memory once and served by path.
///
/// Requests never touch the file system: a path is decoded segment by
/// segment and looked up among the files loaded at start-up, so nothing
/// outside the root can be named. On top of that, a segment that decodes to
/// something holding `/`, `\` or NUL, or starting with `.` (`.`, `..`,
/// dotfiles), makes the path unknown, as does an empty segment inside it.
/// Dotfiles, symbolic links and special files are not loaded at all.
public struct StaticFiles: Sendable {
    private struct File: Sendable {
        let body: [UInt8]
        let contentType: String
        let entityTag: String
    }

    /// What a directory path (`/`, `/docs/`) serves.
    public static let indexFileName = "index.html"
    /// Browsers must revalidate with the ETag on every use, so an updated
    /// client shows up on the next reload while unchanged files cost a 304.
    private static let cacheControl = "no-cache"

    /// Relative paths (`index.html`, `js/app.js`) to contents.
    private let files: [String: File]

    /// Loads every regular file under `directory` into memory once (the
    /// bundled client is a few small files), with its Content-Type and a
    /// strong ETag. Throws when the directory or a file cannot be read.
    public init(directory: String) throws {
        var files: [String: File] = [:]
        try StaticFiles.load(directory: directory, prefix: "", into: &files)
        self.files = files
    }

    /// The relative paths of the loaded files, sorted.
    public var paths: [String] { files.keys.sorted() }

    /// For GET/HEAD of a path under the root: 200 with the file (HEAD: its
    /// headers with Content-Length, no body), or 304 when `ifNoneMatch`
    /// names its ETag. "/" serves index.html. Nil for other methods, when
    /// there is no such file, or when the path tries to escape.
    public func response(forPath rawPath: String, method: String, ifNoneMatch: String?) -> HTTPResponse? {
        guard method == "GET" || method == "HEAD", let file = file(forPath: rawPath) else { return nil }
        var headers = HTTPHeaders()
        headers.add("ETag", file.entityTag)
        headers.add("Cache-Control", StaticFiles.cacheControl)
        if let ifNoneMatch, EntityTag.ifNoneMatch(ifNoneMatch, matches: file.entityTag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.add("Content-Type", file.contentType)
        headers.add("X-Content-Type-Options", "nosniff")
        // The files are public, and a front end on another origin imports the SDK
        // (`/huddle.js`) as a module, which browsers fetch with CORS.
        headers.add("Access-Control-Allow-Origin", "*")
        guard method == "GET" else {
            headers.add("Content-Length", String(file.body.count))
            return HTTPResponse(status: 200, headers: headers)
        }
        return HTTPResponse(status: 200, headers: headers, body: file.body)
    }

    /// Whether `rawPath` names a file, whatever the method (so the server
    /// can answer another method with 405 and `Allow: GET, HEAD`).
    public func hasFile(atPath rawPath: String) -> Bool {
        file(forPath: rawPath) != nil
    }

    private func file(forPath rawPath: String) -> File? {
        StaticFiles.relativePath(rawPath).flatMap { files[$0] }
    }

    // MARK: Paths

    /// The decoded relative path a raw request path names, or nil.
    private static func relativePath(_ rawPath: String) -> String? {
        guard rawPath.hasPrefix("/") else { return nil }
        let rawSegments = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var segments: [String] = []
        for (index, raw) in rawSegments.enumerated() {
            if raw.isEmpty && index == rawSegments.count - 1 {
                segments.append(indexFileName)
                break
            }
            guard let segment = PercentDecoding.decode(raw), isSafeSegment(segment) else { return nil }
            segments.append(segment)
        }
        return segments.joined(separator: "/")
    }

    private static func isSafeSegment(_ segment: String) -> Bool {
        !segment.isEmpty && !segment.hasPrefix(".") && !segment.contains { $0 == "/" || $0 == "\\" || $0 == "\0" }
    }

    // MARK: Loading

    private static func load(directory: String, prefix: String, into files: inout [String: File]) throws {
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
            let fullPath = directory + "/" + name
            let relative = prefix + name
            // attributesOfItem does not follow links: a link (maybe pointing out of the root) is skipped.
            switch try manager.attributesOfItem(atPath: fullPath)[.type] as? FileAttributeType {
            case .typeDirectory?:
                try load(directory: fullPath, prefix: relative + "/", into: &files)
            case .typeRegular?:
                let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fullPath)))
                files[relative] = File(
                    body: body, contentType: MediaType.forFileName(name[...]), entityTag: EntityTag.strong(for: body))
            default:
                continue
            }
        }
    }
}
