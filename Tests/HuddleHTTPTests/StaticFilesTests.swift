import Foundation
import HuddleHTTP
import Testing

/// A temp directory holding `root/` (the served files) and, beside it, a
/// secret that no path may reach. Removed when the test ends.
private final class StaticRoot {
    let base: String
    var root: String { base + "/root" }
    static let indexHTML = "<!doctype html><title>client</title>"

    init() throws {
        base = FileManager.default.temporaryDirectory.path + "/huddle-static-\(UUID().uuidString)"
        try write("secret.txt", "outside the root")
        try write("root/index.html", Self.indexHTML)
        try write("root/app.js", "console.log(1)")
        try write("root/module.mjs", "export {}")
        try write("root/style.css", "body{}")
        try write("root/data.json", "{}")
        try write("root/logo.png", "png")
        try write("root/icon.svg", "<svg/>")
        try write("root/favicon.ico", "ico")
        try write("root/notes.txt", "text")
        try write("root/blob.bin", "bin")
        try write("root/UPPER.HTML", "upper")
        try write("root/my file.txt", "spaced")
        try write("root/docs/index.html", "docs")
        try write("root/docs/page.html", "page")
        try write("root/.env", "SECRET=1")
        try FileManager.default.createSymbolicLink(atPath: root + "/link.txt", withDestinationPath: base + "/secret.txt")
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    private func write(_ relative: String, _ text: String) throws {
        let path = base + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func files() throws -> StaticFiles { try StaticFiles(directory: root) }
}

private func body(_ files: StaticFiles, _ path: String) -> String? {
    files.response(forPath: path, method: "GET", ifNoneMatch: nil).map { String(decoding: $0.body, as: UTF8.self) }
}

@Test(arguments: [
    ("/index.html", "text/html; charset=utf-8"), ("/app.js", "text/javascript; charset=utf-8"),
    ("/module.mjs", "text/javascript; charset=utf-8"), ("/style.css", "text/css; charset=utf-8"),
    ("/data.json", "application/json"), ("/logo.png", "image/png"), ("/icon.svg", "image/svg+xml"),
    ("/favicon.ico", "image/x-icon"), ("/notes.txt", "text/plain; charset=utf-8"),
    ("/blob.bin", "application/octet-stream"), ("/UPPER.HTML", "text/html; charset=utf-8"),
])
func staticFileHasContentTypeOfItsExtension(path: String, contentType: String) throws {
    let root = try StaticRoot()
    let response = try #require(try root.files().response(forPath: path, method: "GET", ifNoneMatch: nil))
    #expect(response.status == 200)
    #expect(response.headers["Content-Type"] == contentType)
    #expect(response.headers["Cache-Control"] == "no-cache")
    #expect(response.headers["Access-Control-Allow-Origin"] == "*")
}

@Test func rootAndDirectoryPathsServeTheirIndex() throws {
    let files = try StaticRoot().files()
    #expect(body(files, "/") == StaticRoot.indexHTML)
    #expect(body(files, "/docs/") == "docs")
    #expect(body(files, "/docs/page.html") == "page")
    #expect(body(files, "/docs") == nil)
}

@Test func percentEncodedFileNameIsServed() throws {
    #expect(body(try StaticRoot().files(), "/my%20file.txt") == "spaced")
}

@Test func matchingIfNoneMatchGives304WithoutBody() throws {
    let files = try StaticRoot().files()
    let first = try #require(files.response(forPath: "/app.js", method: "GET", ifNoneMatch: nil))
    let etag = try #require(first.headers["ETag"])
    #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
    for header in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
        let revalidated = try #require(files.response(forPath: "/app.js", method: "GET", ifNoneMatch: header))
        #expect(revalidated.status == 304)
        #expect(revalidated.body.isEmpty)
        #expect(revalidated.headers["ETag"] == etag)
    }
    #expect(files.response(forPath: "/app.js", method: "GET", ifNoneMatch: "\"stale\"")?.status == 200)
}

@Test func etagDiffersBetweenContentsAndIsStableAcrossLoads() throws {
    let root = try StaticRoot()
    let etag = { (files: StaticFiles, path: String) in files.response(forPath: path, method: "GET", ifNoneMatch: nil)?.headers["ETag"] }
    let (first, second) = (try root.files(), try root.files())
    #expect(etag(first, "/app.js") == etag(second, "/app.js"))
    #expect(etag(first, "/app.js") != etag(first, "/style.css"))
}

@Test func headHasHeadersAndLengthButNoBody() throws {
    let files = try StaticRoot().files()
    let response = try #require(files.response(forPath: "/", method: "HEAD", ifNoneMatch: nil))
    #expect(response.status == 200)
    #expect(response.body.isEmpty)
    #expect(response.headers["Content-Length"] == String(StaticRoot.indexHTML.utf8.count))
    let wire = String(decoding: response.serialized(), as: UTF8.self)
    #expect(wire.hasSuffix("\r\n\r\n"))
    #expect(wire.components(separatedBy: "Content-Length").count == 2)
}

@Test func otherMethodsGetNoResponseButTheFileIsKnown() throws {
    let files = try StaticRoot().files()
    #expect(files.response(forPath: "/app.js", method: "POST", ifNoneMatch: nil) == nil)
    #expect(files.hasFile(atPath: "/app.js"))
    #expect(!files.hasFile(atPath: "/missing.js"))
}

@Test(arguments: [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/a/%2F..%2Fsecret.txt",
    "/..%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/docs/../../secret.txt", "/docs/..%2F..%2Fsecret.txt",
    "/%2e%2e%2f%2e%2e%2fsecret.txt", "//secret.txt", "/./index.html", "/docs/./page.html", "/docs//page.html",
    "/index.html%00.txt", "/%00", "/.env", "/%2eenv", "/link.txt", "/%2Findex.html", "index.html", "/%zz",
    "/%c0%ae%c0%ae/secret.txt",
])
func traversalOrHiddenPathServesNothing(path: String) throws {
    let files = try StaticRoot().files()
    #expect(files.response(forPath: path, method: "GET", ifNoneMatch: nil) == nil)
    #expect(!files.hasFile(atPath: path))
}

@Test func onlyRegularVisibleFilesAreLoaded() throws {
    #expect(try StaticRoot().files().paths == [
        "UPPER.HTML", "app.js", "blob.bin", "data.json", "docs/index.html", "docs/page.html", "favicon.ico",
        "icon.svg", "index.html", "logo.png", "module.mjs", "my file.txt", "notes.txt", "style.css",
    ])
}

@Test func missingDirectoryThrows() {
    #expect(throws: (any Error).self) { try StaticFiles(directory: "/nonexistent/huddle-static") }
}
