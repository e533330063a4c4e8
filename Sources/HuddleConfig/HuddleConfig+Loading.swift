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
    ///   - validate: checks only the caller can make (the server's plugin
    ///     registry: plugin names and options). It runs even when loading
    ///     found problems, on everything that did load, so one run reports
    ///     every problem of every kind.
    /// - Throws: every problem found, in the file, the environment, the
    ///   flags and by `validate`, each naming its key and where it was set.
    public static func load(
        file: String?, environment: [String: String], overrides: CommandLineOverrides,
        validate: (HuddleConfig) -> [ConfigProblem] = { _ in [] }
    ) throws(ConfigError) -> HuddleConfig {
        var loader = ConfigLoader()
        let environmentFile = environment[configFileVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let path = file ?? environmentFile { loader.loadFile(at: path) }
        loader.applyEnvironment(environment)
        loader.apply(overrides)
        loader.checkCombinations()
        let problems = loader.problems + validate(loader.config)
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return loader.config
    }
}
