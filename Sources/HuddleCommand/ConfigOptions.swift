import ArgumentParser
import Foundation
import HuddleConfig
import HuddleServer

/// Options every command that reads configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("TOML config file (else $HUDDLE_CONFIG, else built-in defaults).", valueName: "file"))
    var config: String?

    /// The configuration, with the plugin tables checked against the
    /// registered plugins, so every problem of every kind is listed at once;
    /// exits 2 printing them when there is one.
    func load(overrides: CommandLineOverrides = CommandLineOverrides()) throws -> HuddleConfig {
        do {
            return try HuddleConfig.load(
                file: config, environment: ProcessInfo.processInfo.environment, overrides: overrides,
                validate: { HuddleServer.pluginProblems($0, plugins: HuddleCommand.plugins) })
        } catch {
            FileHandle.standardError.write(Data("huddle: configuration error\n\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
