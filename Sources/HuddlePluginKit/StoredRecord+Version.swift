extension StoredRecord {
    /// Throws `conflict` when the request named a version (`expected`) and
    /// this record is at another one. The error carries `current`, the record
    /// as clients see it; it defaults to the stored value, so pass it when a
    /// plugin adds fields on the way out (a task's `column` and `position`);
    /// it is only built when there is a conflict.
    ///
    /// Call it last: `conflict` comes after every other error.
    public func requireVersion(_ expected: Int?, current: @autoclosure () -> JSONValue? = nil) throws(PluginError) {
        guard let expected, expected != version else { return }
        let stale = PluginError.conflict(current: self, expected: expected)
        throw PluginError(.conflict, stale.message, current: current() ?? value)
    }
}
