import HuddleLoop
import HuddleOutbound
import Logging

/// Keeps `auth.jwks_url`'s keys in the key ring: fetched at start, every
/// `auth.jwks_refresh_s`, and when a token names an unknown `kid` (an
/// identity provider that rotated its keys), at most once a minute so a
/// stream of forged `kid`s cannot turn Huddle against the provider. A failed
/// fetch keeps the keys it had.
final class JWKSFetcher {
    static let unknownKidIntervalMs: UInt64 = 60_000
    static let timeoutMs = 10_000

    private let url: String
    private let caFile: String?
    private let refreshMs: UInt64
    private let keys: KeyRing
    private let loop: EventLoop
    private let logger: Logger
    private let client: OutboundClient
    private let timer: LoopTimer
    private var fetching = false
    private var lastUnknownKidFetchMs: UInt64?

    init(url: String, caFile: String?, refreshSeconds: Int, keys: KeyRing, loop: EventLoop, logger: Logger,
         deliver: @escaping (@escaping () -> Void) -> Void) {
        self.url = url
        self.caFile = caFile
        refreshMs = UInt64(refreshSeconds) * 1000
        self.keys = keys
        self.loop = loop
        self.logger = logger
        client = OutboundClient(name: "jwks", maxInFlight: 1, deliver: deliver)
        timer = LoopTimer(loop: loop)
        // A refresh timer alone must not keep a stopping server's loop running.
        timer.keepsLoopAlive = false
    }

    func start() {
        keys.onUnknownKid = { [unowned self] in self.unknownKid() }
        fetch()
        timer.start(afterMs: refreshMs, repeatMs: refreshMs) { [unowned self] in self.fetch() }
    }

    func close() {
        timer.close()
        client.close()
    }

    private func unknownKid() {
        let nowMs = loop.nowMs
        if let last = lastUnknownKidFetchMs, nowMs - last < Self.unknownKidIntervalMs { return }
        guard !fetching else { return }
        lastUnknownKidFetchMs = nowMs
        fetch()
    }

    private func fetch() {
        guard !fetching else { return }
        fetching = true
        let request = OutboundRequest(method: "GET", url: url, headers: [("Accept", "application/json")],
                                      timeoutMs: Self.timeoutMs, caFile: caFile)
        client.send(request) { [weak self] result in self?.received(result) }
    }

    private func received(_ result: OutboundResult) {
        fetching = false
        switch result {
        case .failed(let failure):
            logger.error("auth.jwks_url fetch failed; keeping the previous keys", metadata: ["reason": "\(failure)"])
        case .response(let status, _) where status != 200:
            logger.error("auth.jwks_url fetch failed; keeping the previous keys", metadata: ["status": "\(status)"])
        case .response(_, let body):
            do {
                let (fetched, skipped) = try VerificationKey.keys(fromJWKS: body)
                keys.replaceFetched(fetched)
                logger.info("auth.jwks_url fetched", metadata: ["keys": "\(fetched.count)",
                                                                "kids": "\(fetched.compactMap(\.kid).joined(separator: ","))"])
                if !skipped.isEmpty {
                    logger.warning("auth.jwks_url keys Huddle cannot use were skipped",
                                   metadata: ["kids": "\(skipped.joined(separator: ","))"])
                }
            } catch {
                logger.error("auth.jwks_url answer refused; keeping the previous keys", metadata: ["reason": "\(error)"])
            }
        }
    }
}
