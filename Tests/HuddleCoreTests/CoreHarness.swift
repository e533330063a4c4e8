import HuddleCore
import HuddleJSON

/// Stands in for the server's connection object.
final class FakeConnection {}

/// Drives a `Hub` the way the server does and records what every session
/// would receive, resolving each `Audience` over the workspace's connected
/// sessions right after the call, as the server does.
final class CoreHarness {
    /// Monotonic 0 is 2026-11-22T10:00:00.000Z on the wall clock.
    static let unixAtZero: Int64 = 1_795_341_600_000

    let hub: Hub
    private(set) var clock: UInt64 = 0
    /// Decoded messages each session received, by session id, oldest first.
    private var inboxes: [String: [JSONValue]] = [:]
    /// Every `send` effect of the last call, undecoded.
    private(set) var lastSends: [(message: Outgoing, audience: Audience)] = []
    private(set) var closes: [(session: String, code: UInt16, reason: String)] = []
    private(set) var pluginCalls: [PluginCall] = []
    private(set) var syncRequests: [SyncRequest] = []
    /// What the hub asked to tell the backend (webhooks), oldest first.
    private(set) var notices: [PresenceNotice] = []
    private(set) var tokenRefreshes: [TokenRefresh] = []
    /// What the hub asked to tell other nodes, not yet taken by `takeClusterChanges`.
    private var clusterChanges: [ClusterChange] = []
    private(set) var lastResumed = false

    /// `idPrefix` keeps the session ids of two harnesses (two nodes) apart.
    init(config: CoreConfig = CoreConfig(), idPrefix: String = "s_") {
        var issued = 0
        hub = Hub(config: config) {
            issued += 1
            return "\(idPrefix)\(issued)"
        }
    }

    var now: Now { Now(monotonicMs: clock, unixMs: Self.unixAtZero + Int64(clock)) }

    // MARK: Inputs

    @discardableResult
    func connect(_ user: String, name: String? = nil, role: String = "editor", workspace: String = "acme", resume: String? = nil,
                 tokenExpiresInMs: Int64? = nil) -> Session {
        let result = hub.connect(
            workspace: workspace, identity: identity(user, name: name, role: role, tokenExpiresInMs: tokenExpiresInMs),
            resume: resume, attachment: FakeConnection(), now: now)
        lastResumed = result.resumed
        apply(result.effects)
        return result.session
    }

    /// A token's identity; `tokenExpiresInMs` counts from the harness clock's now.
    func identity(_ user: String, name: String? = nil, role: String = "editor", tokenExpiresInMs: Int64? = nil) -> Identity {
        Identity(userID: user, name: name ?? user.prefix(1).uppercased() + user.dropFirst(), role: role,
                 tokenExpiresAtUnixMs: tokenExpiresInMs.map { now.unixMs + $0 })
    }

    /// The server's answer to a verified `auth.refresh`.
    func refreshed(_ session: Session, id: JSONValue?, as identity: Identity) {
        apply(hub.tokenRefreshed(session, id: id, identity: identity, now: now))
    }

    func send(_ text: String, from session: Session) {
        let bytes = Array(text.utf8)
        apply(bytes.withUnsafeBytes { hub.receive($0, from: session, now: now) })
    }

    func disconnect(_ session: Session, reason: LeaveReason = .closed) {
        apply(hub.disconnected(session, reason: reason, now: now))
    }

    func kick(_ session: Session) {
        apply(hub.kick(session, now: now))
    }

    /// Moves the clock to `ms` and fires what is due.
    func advance(to ms: UInt64) {
        clock = ms
        apply(hub.advance(to: now))
    }

    /// Moves the clock without firing deadlines, as between two messages.
    func setClock(_ ms: UInt64) { clock = ms }

    /// Carries out effects of a remote input (another node's change).
    func applyRemote(_ effects: [Effect]) { apply(effects) }

    func takeClusterChanges() -> [ClusterChange] {
        defer { clusterChanges = [] }
        return clusterChanges
    }

    // MARK: Observations

    func messages(of session: Session) -> [JSONValue] { inboxes[session.id] ?? [] }

    func types(of session: Session) -> [String] { messages(of: session).compactMap { $0["type"]?.stringValue } }

    /// Messages of one type, oldest first.
    func messages(of session: Session, type: String) -> [JSONValue] {
        messages(of: session).filter { $0["type"]?.stringValue == type }
    }

    func last(of session: Session) -> JSONValue? { messages(of: session).last }

    func clearInboxes() {
        inboxes.removeAll()
        closes.removeAll()
        pluginCalls.removeAll()
        syncRequests.removeAll()
        tokenRefreshes.removeAll()
    }

    private func apply(_ effects: [Effect]) {
        lastSends = []
        for effect in effects {
            switch effect {
            case .send(let message, let audience):
                lastSends.append((message, audience))
                let decoded = try! JSONParser.parse(message.bytes)
                for session in recipients(of: audience) {
                    inboxes[session.id, default: []].append(decoded)
                }
            case .close(let session, let code, let reason):
                closes.append((session.id, code, reason))
            case .plugin(let call):
                pluginCalls.append(call)
            case .sync(let request):
                syncRequests.append(request)
            case .cluster(let change):
                clusterChanges.append(change)
            case .notice(let notice):
                notices.append(notice)
            case .refreshToken(let refresh):
                tokenRefreshes.append(refresh)
            }
        }
    }

    private func recipients(of audience: Audience) -> [Session] {
        switch audience {
        case .session(let session): return session.isConnected ? [session] : []
        case .workspace(let workspace): return Array(workspace.connectedSessions)
        case .workspaceExcept(let workspace, let excluded): return workspace.connectedSessions.filter { $0 !== excluded }
        }
    }
}
