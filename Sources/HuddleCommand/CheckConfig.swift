import ArgumentParser

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration and plugin options; exit non-zero naming each problem.")

    @OptionGroup var options: ConfigOptions

    /// Loading checks the plugin tables too, so what is left is to say so.
    func run() throws {
        _ = try options.load()
        print("configuration ok")
    }
}
