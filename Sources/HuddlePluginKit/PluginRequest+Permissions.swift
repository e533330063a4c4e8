extension PluginRequest {
    /// Throws `forbidden` when the user may not write (a viewer).
    ///
    /// Call it after validation and after the record is found: by the
    /// precedence order, `validation_failed` and `not_found` come first.
    public func requireWriter() throws(PluginError) {
        if !user.role.canWrite { throw PluginError.viewerCannotWrite }
    }
}
