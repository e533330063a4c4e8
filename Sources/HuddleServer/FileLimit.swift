import Foundation

/// The process's open-file limit (`RLIMIT_NOFILE`). Every connection costs a
/// descriptor, and distributions start processes with a soft limit (often
/// 1,024) far below the hard one, so the server raises it at start.
struct FileLimit {
    let softAtStart: UInt64
    let soft: UInt64
    let hard: UInt64

    /// Raises the soft limit to the hard one and reports both.
    static func raiseToHard() -> FileLimit {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return FileLimit(softAtStart: 0, soft: 0, hard: 0) }
        let softAtStart = UInt64(limit.rlim_cur)
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return FileLimit(softAtStart: softAtStart, soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }
}
