extension HuddleConfig {
    /// The environment variable that names a config file when `--config` does not.
    public static let configFileVariable = "HUDDLE_CONFIG"

    /// Loads the configuration: defaults, then the file, then `HUDDLE_*`
    /// environment variables, then command-line flags, each winning over the
    /// ones before it.
    ///
    /// - Parameters:
    ///   - file: the `--config` path, else `environment["HUDDLE_CONFIG"]`
    ///     (when not empty), else no file at all.
    ///   - environment: the process environment (`ProcessInfo.processInfo.environment`).
    ///   - overrides: the flags given on the command line.
    /// - Throws: every problem found, in the file, the environment and the
    ///   flags together, each naming its key and where it was set.
    public static func load(
        file: String?, environment: [String: String], overrides: CommandLineOverrides
    ) throws(ConfigError) -> HuddleConfig {
        var loader = ConfigLoader()
        let environmentFile = environment[configFileVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let path = file ?? environmentFile { loader.loadFile(at: path) }
        loader.applyEnvironment(environment)
        loader.apply(overrides)
        loader.checkCombinations()
        guard loader.problems.isEmpty else { throw ConfigError(problems: loader.problems) }
        return loader.config
    }
}
