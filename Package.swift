// swift-tools-version:6.0
import Foundation
import PackageDescription

// Dependencies point inward: the C shims and the pure codecs know nothing of
// the server; only HuddleLoop imports libuv, only HuddleStore imports SQLite,
// and a plugin imports HuddlePluginKit and nothing else.
let package = Package(
    name: "Huddle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "huddle", targets: ["huddle"]),
        .library(name: "HuddlePluginKit", targets: ["HuddlePluginKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: C libraries from Debian packages
        .systemLibrary(name: "CUV", path: "Sources/CUV", pkgConfig: "libuv",
                       providers: [.apt(["libuv1-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        // MARK: Pure codecs and the domain
        .target(name: "HuddleJSON"),
        .target(name: "HuddleHTTP"),
        .target(name: "HuddleWebSocket", dependencies: ["HuddleHTTP", "COpenSSL"]),
        .target(name: "HuddleCore", dependencies: ["HuddleJSON"]),
        .target(name: "HuddlePluginKit", dependencies: ["HuddleJSON"]),

        // MARK: I/O
        .target(name: "HuddleLoop", dependencies: ["CUV"]),
        .target(name: "HuddleStore", dependencies: ["CSQLite", "HuddlePluginKit"]),
        .target(name: "HuddleConfig", dependencies: [
            "HuddleJSON", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),

        // MARK: Domain plugins
        .target(name: "Contacts", dependencies: ["HuddlePluginKit"], path: "Plugins/Contacts"),
        .target(name: "Notes", dependencies: ["HuddlePluginKit"], path: "Plugins/Notes"),
        .target(name: "Kanban", dependencies: ["HuddlePluginKit"], path: "Plugins/Kanban"),

        // MARK: The shell
        .target(name: "HuddleServer", dependencies: [
            "HuddleLoop", "HuddleHTTP", "HuddleWebSocket", "HuddleCore", "HuddleJSON",
            "HuddlePluginKit", "HuddleStore", "HuddleConfig", "COpenSSL",
            "Contacts", "Notes", "Kanban",
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Client")]),
        .target(name: "HuddleBench", dependencies: ["HuddleLoop", "HuddleWebSocket", "HuddleJSON"]),
        .executableTarget(name: "huddle", dependencies: [
            "HuddleServer", "HuddleConfig", "HuddleBench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // MARK: Tests
        .target(name: "HuddleTestSupport", dependencies: ["HuddleWebSocket", "HuddleHTTP", "HuddleJSON", "HuddleStore"],
                path: "Tests/HuddleTestSupport"),
        .testTarget(name: "HuddleJSONTests", dependencies: ["HuddleJSON"]),
        .testTarget(name: "HuddleLoopTests", dependencies: ["HuddleLoop"]),
        .testTarget(name: "HuddleHTTPTests", dependencies: ["HuddleHTTP"]),
        .testTarget(name: "HuddleWebSocketTests", dependencies: ["HuddleWebSocket"]),
        .testTarget(name: "HuddleCoreTests", dependencies: ["HuddleCore"]),
        .testTarget(name: "HuddleStoreTests", dependencies: ["HuddleStore", "HuddleTestSupport"]),
        .testTarget(name: "HuddleConfigTests", dependencies: ["HuddleConfig"]),
        .testTarget(name: "PluginTests", dependencies: ["Contacts", "Notes", "Kanban", "HuddleStore", "HuddleTestSupport"]),
        .testTarget(name: "HuddleServerTests", dependencies: ["HuddleServer", "HuddleTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

// MARK: Fuzz targets
// libFuzzer harnesses, one per parser, built only by scripts/fuzz (which sets
// HUDDLE_FUZZ and builds with -sanitize=fuzzer,address in .build-fuzz), so
// the ordinary build and test run never see them.
if ProcessInfo.processInfo.environment["HUDDLE_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzHTTPRequest", ["HuddleHTTP"]),
        ("FuzzFrameReader", ["HuddleWebSocket"]),
        ("FuzzJSON", ["HuddleJSON"]),
        ("FuzzEnvelope", ["HuddleCore", "HuddleJSON"]),
        ("FuzzJWT", ["HuddleServer", "HuddleJSON"]),
        ("FuzzConfig", ["HuddleConfig"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: target.name, dependencies: target.dependencies + ["FuzzSupport"],
                                                 path: "Fuzz/\(target.name)"))
    }
}
