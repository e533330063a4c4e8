import Logging

enum LogSetup {
    /// swift-log to stderr, so stdout carries only what scripts read (the ready line, tokens).
    static func bootstrapped(level: String) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: level) ?? .info
            return handler
        }
        return Logger(label: "huddle")
    }
}
