// swift-tools-version:6.0
import PackageDescription

// A team's own server: Huddle as a dependency, one plugin of its own, its
// tests on Huddle's plugin test kit. Plugins/README.md walks through it.
let package = Package(
    name: "deals-server",
    platforms: [.macOS(.v13)],
    dependencies: [
        // A team would name Huddle's repository and a version here instead.
        .package(name: "Huddle", path: "../.."),
    ],
    targets: [
        .target(name: "Deals", dependencies: [.product(name: "HuddlePluginKit", package: "Huddle")]),
        .executableTarget(name: "deals-server", dependencies: [
            "Deals", .product(name: "HuddleCommand", package: "Huddle"),
        ]),
        .testTarget(name: "DealsTests", dependencies: [
            "Deals", .product(name: "HuddlePluginTesting", package: "Huddle"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
