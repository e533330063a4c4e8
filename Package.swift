// swift-tools-version:6.0
import Foundation
import PackageDescription

// Dependencies point inward: the C shims and the pure codecs know nothing of
// the server; only HuddleLoop imports libuv (and HuddleRedis, whose hiredis
// adapter runs on HuddleLoop's uv_loop_t), only HuddleStore imports SQLite
// and libpq, only HuddleOutbound imports libcurl,
// and a plugin imports HuddlePluginKit and nothing else.
let package = Package(
    name: "Huddle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "huddle", targets: ["huddle"]),
        .library(name: "HuddlePluginKit", targets: ["HuddlePluginKit"]),
        .library(name: "HuddlePluginTesting", targets: ["HuddlePluginTesting"]),
        // The whole command line as a library, for a team's own server with its own plugins.
        .library(name: "HuddleCommand", targets: ["HuddleCommand"]),
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
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        // No pkgConfig: hiredis.pc carries -D_FILE_OFFSET_BITS=64, which SwiftPM refuses.
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis",
                       providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        // MARK: Pure codecs and the domain
        .target(name: "HuddleJSON"),
        .target(name: "HuddleHTTP"),
        .target(name: "HuddleWebSocket", dependencies: ["HuddleHTTP", "COpenSSL"]),
        .target(name: "HuddleCore", dependencies: ["HuddleJSON"]),
        .target(name: "HuddlePluginKit", dependencies: ["HuddleJSON"]),

        // MARK: I/O
        .target(name: "HuddleLoop", dependencies: ["CUV"]),
        // TLS on memory BIOs as a HuddleLoop StreamSecurity: the server's side and the bench's client side.
        .target(name: "HuddleTLS", dependencies: ["COpenSSL", "HuddleLoop"]),
        .target(name: "HuddleStore", dependencies: ["CSQLite", "CLibPQ", "HuddlePluginKit"]),
        // The one other module that sees libuv: hiredis's adapter needs the uv_loop_t.
        .target(name: "HuddleRedis", dependencies: ["CHiredis", "CUV", "HuddleLoop"]),
        .target(name: "HuddleCluster", dependencies: ["HuddleCore", "HuddleJSON", "HuddleLoop", "HuddleRedis"]),
        // Calls to other servers (proxy plugins' backends, webhooks) on a thread of its own.
        .target(name: "HuddleOutbound", dependencies: ["CCurl"]),
        .target(name: "HuddleConfig", dependencies: [
            "HuddleJSON", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),

        // MARK: Domain plugins
        .target(name: "Contacts", dependencies: ["HuddlePluginKit"], path: "Plugins/Contacts"),
        .target(name: "Notes", dependencies: ["HuddlePluginKit"], path: "Plugins/Notes"),
        .target(name: "Kanban", dependencies: ["HuddlePluginKit"], path: "Plugins/Kanban"),
        // `kind = "records"`: a whole domain from its field list, on the public kit only.
        .target(name: "Records", dependencies: ["HuddlePluginKit"], path: "Plugins/Records"),

        // MARK: The shell
        .target(name: "HuddleServer", dependencies: [
            "HuddleLoop", "HuddleTLS", "HuddleHTTP", "HuddleWebSocket", "HuddleCore", "HuddleJSON",
            "HuddlePluginKit", "HuddleStore", "HuddleConfig", "HuddleCluster", "HuddleRedis", "HuddleOutbound", "COpenSSL", "CMalloc",
            "Contacts", "Notes", "Kanban", "Records",
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Client")]),
        .target(name: "HuddleBench", dependencies: ["HuddleLoop", "HuddleTLS", "HuddleWebSocket", "HuddleJSON"]),
        .target(name: "HuddleCommand", dependencies: [
            "HuddleServer", "HuddleConfig", "HuddleBench", "HuddlePluginKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "huddle", dependencies: ["HuddleCommand"]),

        // MARK: Tests
        // The kit plugin authors test with: a plugin over a real store.
        .target(name: "HuddlePluginTesting", dependencies: ["HuddlePluginKit", "HuddleStore", "CLibPQ"]),
        .target(name: "HuddleTestSupport", dependencies: [
            "HuddleWebSocket", "HuddleHTTP", "HuddleJSON", "HuddleStore", "HuddlePluginTesting",
        ], path: "Tests/HuddleTestSupport"),
        .testTarget(name: "HuddleJSONTests", dependencies: ["HuddleJSON"]),
        .testTarget(name: "HuddleLoopTests", dependencies: ["HuddleLoop"]),
        .testTarget(name: "HuddleTLSTests", dependencies: ["HuddleTLS", "HuddleTestSupport"]),
        .testTarget(name: "HuddleHTTPTests", dependencies: ["HuddleHTTP"]),
        .testTarget(name: "HuddleWebSocketTests", dependencies: ["HuddleWebSocket"]),
        .testTarget(name: "HuddleCoreTests", dependencies: ["HuddleCore"]),
        .testTarget(name: "HuddleBenchTests", dependencies: ["HuddleBench", "HuddleJSON", "HuddleTestSupport"]),
        .testTarget(name: "HuddleRedisTests", dependencies: ["HuddleRedis", "HuddleLoop", "HuddleTestSupport"]),
        .testTarget(name: "HuddleStoreTests", dependencies: ["HuddleStore", "HuddleTestSupport"]),
        .testTarget(name: "HuddleConfigTests", dependencies: ["HuddleConfig"]),
        .testTarget(name: "PluginTests", dependencies: ["Contacts", "Notes", "Kanban", "HuddlePluginTesting"]),
        .testTarget(name: "HuddleServerTests", dependencies: ["HuddleServer", "HuddleOutbound", "HuddleTestSupport"]),
        // The cluster rig: real Redis, PostgreSQL, nodes and nginx, as scripts/cluster runs them.
        .testTarget(name: "ClusterRigTests", dependencies: ["HuddleTestSupport", "HuddleJSON"]),
        // docs/protocol.md and Plugins/README.md held to the code.
        .testTarget(name: "DocumentationTests", dependencies: ["HuddleServer", "HuddleConfig", "HuddlePluginKit"]),
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
