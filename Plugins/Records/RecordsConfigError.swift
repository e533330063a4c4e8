import HuddlePluginKit

/// Every problem of a records table, so one `check-config` run lists them all.
public struct RecordsConfigError: Error {
    public let errors: [PluginConfigError]
}
