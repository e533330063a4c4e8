import Foundation
import HuddleCore

/// Counters the loop thread bumps, rendered in the Prometheus text format.
///
/// Written directly rather than through swift-metrics + swift-prometheus:
/// everything is owned by one thread, so plain integers suffice, and the
/// exposition format is a dozen lines.
final class ServerMetrics {
    var connectionsAccepted = 0
    var acceptFailures = 0
    var connectionsShed = 0
    var httpConnectionsEvicted = 0
    var httpConnectionsOverLimit = 0
    var tlsFailures = 0
    var requestTimeouts = 0
    var idleTimeouts = 0
    var httpRequests = 0
    var upgradesRefused = 0
    var sessionsOpened = 0
    var messagesIn = 0
    var deliveries = 0
    var relaysDroppedSlowConsumer = 0
    var protocolErrors = 0
    var pluginRequests = 0
    var storageErrors = 0
    var rateLimited = 0
    var loopLagMs: UInt64 = 0
    private(set) var messagesOut: [String: Int] = [:]
    private(set) var closesByCode: [UInt16: Int] = [:]
    let durableWrites = LatencyHistogram(boundsMs: [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000])

    private static let rateLimitedCode = Array(#""code":"rate_limited""#.utf8)

    func countOut(_ outgoing: Outgoing) {
        countOut(type: outgoing.type)
        // Errors are rare, so finding the code in the bytes costs nothing on the hot path.
        if outgoing.type == "error", outgoing.bytes.firstRange(of: Self.rateLimitedCode) != nil { rateLimited += 1 }
    }
    func countOut(type: String) { messagesOut[type, default: 0] += 1 }
    func countClose(_ code: UInt16) { closesByCode[code, default: 0] += 1 }

    struct Gauges {
        let sessions: Int
        let httpConnections: Int
        let workspaces: Int
        let storageHealthy: Bool
        /// `nil` outside cluster mode.
        let clusterConnected: Bool?
        let tlsEnabled: Bool
        /// `nil` without webhooks.
        let webhooks: (queued: Int, sent: Int, dropped: Int, failedAttempts: Int)?
    }

    func render(_ gauges: Gauges) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        metric("huddle_sessions", "gauge", "Open WebSocket sessions.", [("", "\(gauges.sessions)")])
        metric("huddle_workspaces", "gauge", "Workspaces with at least one session, grace included.", [("", "\(gauges.workspaces)")])
        metric("huddle_storage_healthy", "gauge", "1 when the last storage batch succeeded.", [("", gauges.storageHealthy ? "1" : "0")])
        if let webhooks = gauges.webhooks {
            metric("huddle_webhook_queue", "gauge", "Webhook events waiting to be delivered.", [("", "\(webhooks.queued)")])
            metric("huddle_webhook_events_sent_total", "counter", "Webhook events the receiver accepted.", [("", "\(webhooks.sent)")])
            metric("huddle_webhook_events_dropped_total", "counter",
                   "Webhook events dropped: the queue was full, or a batch failed for 10 minutes.", [("", "\(webhooks.dropped)")])
            metric("huddle_webhook_failures_total", "counter", "Webhook deliveries that failed and were retried.",
                   [("", "\(webhooks.failedAttempts)")])
        }
        if let connected = gauges.clusterConnected {
            metric("huddle_cluster_connected", "gauge", "1 while this node's link to Redis (the cluster) is up.",
                   [("", connected ? "1" : "0")])
        }
        if gauges.tlsEnabled {
            metric("huddle_tls_failures_total", "counter",
                   "TLS connections closed because the handshake failed or a record was bad; the debug log says why.",
                   [("", "\(tlsFailures)")])
        }
        metric("huddle_http_connections", "gauge", "Connections not yet upgraded to WebSocket.", [("", "\(gauges.httpConnections)")])
        metric("huddle_connections_accepted_total", "counter", "TCP connections accepted.", [("", "\(connectionsAccepted)")])
        metric("huddle_accept_failures_total", "counter", "Times accept failed for want of file descriptors (EMFILE, ENFILE).", [("", "\(acceptFailures)")])
        metric("huddle_connections_shed_total", "counter", "Waiting connections closed at once while out of file descriptors.", [("", "\(connectionsShed)")])
        metric("huddle_http_connections_evicted_total", "counter", "HTTP connections closed to make room under limits.max_http_connections.", [("", "\(httpConnectionsEvicted)")])
        metric("huddle_http_connections_over_limit_total", "counter", "HTTP connections let in past limits.max_http_connections because none had waited long enough to be closed (a burst).", [("", "\(httpConnectionsOverLimit)")])
        metric("huddle_http_request_timeouts_total", "counter", "Requests answered 408: not complete within server.request_timeout_ms.", [("", "\(requestTimeouts)")])
        metric("huddle_http_idle_timeouts_total", "counter", "HTTP connections closed, idle or silent past their timeout.", [("", "\(idleTimeouts)")])
        metric("huddle_http_requests_total", "counter", "HTTP requests parsed.", [("", "\(httpRequests)")])
        metric("huddle_upgrades_refused_total", "counter", "WebSocket upgrades answered with an HTTP error.", [("", "\(upgradesRefused)")])
        metric("huddle_sessions_opened_total", "counter", "WebSocket sessions opened.", [("", "\(sessionsOpened)")])
        metric("huddle_disconnects_total", "counter", "Close frames sent by the server, by close code.",
               closesByCode.sorted { $0.key < $1.key }.map { ("{code=\"\($0.key)\"}", "\($0.value)") })
        metric("huddle_messages_in_total", "counter", "Text messages received from sessions.", [("", "\(messagesIn)")])
        metric("huddle_messages_out_total", "counter", "Messages sent, by type (a broadcast counts once).",
               messagesOut.sorted { $0.key < $1.key }.map { ("{type=\"\($0.key)\"}", "\($0.value)") })
        metric("huddle_fanout_deliveries_total", "counter", "Frames written to sessions.", [("", "\(deliveries)")])
        metric("huddle_relays_dropped_total", "counter", "Cursor and typing relays skipped for slow consumers.", [("", "\(relaysDroppedSlowConsumer)")])
        metric("huddle_protocol_errors_total", "counter", "WebSocket protocol violations.", [("", "\(protocolErrors)")])
        metric("huddle_rate_limited_total", "counter", "Messages refused by the rate limit.", [("", "\(rateLimited)")])
        metric("huddle_plugin_requests_total", "counter", "Plugin requests submitted to the store.", [("", "\(pluginRequests)")])
        metric("huddle_storage_errors_total", "counter", "Plugin requests answered unavailable.", [("", "\(storageErrors)")])
        out += durableWrites.render(name: "huddle_durable_write_seconds", help: "Time from submit to commit of a durable write.")
        metric("huddle_event_loop_lag_seconds", "gauge", "Lateness of the last loop lag probe.",
               [("", String(format: "%.6f", Double(loopLagMs) / 1000))])
        metric("huddle_process_resident_memory_bytes", "gauge", "Resident set size.", [("", "\(Self.residentBytes())")])
        return out
    }

    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// A cumulative histogram with fixed bounds, in the Prometheus format.
final class LatencyHistogram {
    private let boundsMs: [Double]
    private var counts: [Int]
    private var sumSeconds = 0.0
    private var total = 0

    init(boundsMs: [Double]) {
        self.boundsMs = boundsMs
        counts = Array(repeating: 0, count: boundsMs.count)
    }

    func observe(nanos: UInt64) {
        let ms = Double(nanos) / 1_000_000
        for (i, bound) in boundsMs.enumerated() where ms <= bound { counts[i] += 1 }
        sumSeconds += ms / 1000
        total += 1
    }

    func render(name: String, help: String) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (i, bound) in boundsMs.enumerated() {
            out += "\(name)_bucket{le=\"\(bound / 1000)\"} \(counts[i])\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(total)\n\(name)_sum \(sumSeconds)\n\(name)_count \(total)\n"
        return out
    }
}
