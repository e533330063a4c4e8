import ArgumentParser
import HuddlePluginKit
import HuddleServer

/// The whole `huddle` command line: `serve`, `token`, `check-config` and
/// `bench`.
///
/// The `huddle` executable runs it with the built-in plugins. A team's own
/// package runs it with its plugins added, and gets the same commands,
/// configuration and checks:
///
/// ```swift
/// import Deals
/// import HuddleCommand
///
/// HuddleCommand.main(plugins: [DealsPlugin.self])
/// ```
public struct HuddleCommand: ParsableCommand {
    /// The command's name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "huddle",
        abstract: "Workspace presence over WebSocket: who is online, typing and pointing, plus domain plugins on SQLite.",
        version: HuddleVersion.current,
        subcommands: [Serve.self, Token.self, CheckConfig.self, Bench.self],
        defaultSubcommand: Serve.self
    )

    /// What the command's subcommands run with: the built-in plugins and
    /// those given to ``main(plugins:)``. ArgumentParser makes the
    /// subcommands itself, so they find the list here.
    nonisolated(unsafe) static var plugins = HuddleServer.builtInPlugins

    /// The root command is only a container for its subcommands.
    public init() {}

    /// Parses the process's arguments and runs the command they name, with
    /// `plugins` registered besides the built-in ones (enable each with a
    /// `[plugins.<name>]` table). Returns when the command succeeds; exits
    /// the process with its status when it fails.
    public static func main(plugins extra: [WorkspacePlugin.Type]) {
        plugins = HuddleServer.builtInPlugins + extra
        main()
    }
}
