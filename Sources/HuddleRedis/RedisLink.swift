import CHiredis
import HuddleLoop

/// A link to one Redis server, driven by Huddle's libuv loop on the loop
/// thread: commands with replies, fire-and-forget commands (publishes), and
/// pub/sub on a second connection (a subscribed Redis connection accepts no
/// other commands).
///
/// **Why hiredis.** It is Redis's own C client: its RESP parser, pipelining,
/// pub/sub bookkeeping and libuv adapter are what every libuv program uses.
/// A home-made RESP client would be one more protocol to get right (partial
/// replies, nested arrays, pub/sub ordering) for no gain: what Huddle writes
/// by hand is its own hot path, not a broker client.
///
/// **How the loop drives it.** `redisLibuvAttach` gives each connection a
/// `uv_poll_t` on `EventLoop.libuvLoop`. A command is only appended to
/// hiredis's output buffer and write interest switched on, so every command
/// issued during one loop turn leaves in one `write` when the poll phase of
/// the next turn finds the socket writable. Readable events parse replies
/// and run their callbacks, on the loop thread like every other callback.
/// Reconnect waits are `LoopTimer`s on the same loop.
///
/// **State.** `.connected` once both connections are up (AUTH, SELECT and a
/// PING answered) and every channel in `channels` is confirmed subscribed;
/// `.disconnected` when either is lost. Each lost connection is retried on
/// its own with `RedisLinkOptions.reconnectBackoff`, and the subscriber
/// subscribes `channels` again, so `onStateChange(.connected)` after a drop
/// is the moment to re-announce whatever others may have missed: Redis
/// pub/sub is at-most-once.
///
/// Loop thread only. Call `close()` when done; an open link keeps
/// `EventLoop.run()` going, as an open TCP connection does.
public final class RedisLink: RedisConnectionDelegate {
    public enum State: Equatable, Sendable {
        case disconnected, connected
    }

    public let url: RedisURL
    public private(set) var state: State = .disconnected
    /// Every change of `state`, the first connect included. Not called for
    /// `close()`.
    public var onStateChange: ((State) -> Void)?
    /// Each failed attempt and each lost connection, with the reason and
    /// the wait before the next attempt, for the log. Never holds the password.
    public var onProblem: ((String) -> Void)?
    /// A message on a subscribed channel. `payload` points into hiredis's
    /// reply and is valid only during the call: copy it (`Array(payload)`)
    /// to keep it.
    public var onMessage: ((_ channel: String, _ payload: UnsafeRawBufferPointer) -> Void)?
    /// The channels to be subscribed, whether or not the subscriber is up.
    public private(set) var channels: Set<String> = []

    private let commands: RedisConnection
    private let subscriber: RedisConnection
    /// Channels whose SUBSCRIBE, sent when the subscriber came up, is not
    /// confirmed yet; the link is not `.connected` before they are.
    private var unconfirmed: Set<String> = []
    private var isSubscriberSynced = false
    private var isClosed = false

    private static let publishCommand = Array("PUBLISH".utf8)
    /// Most channels per SUBSCRIBE: arguments are pinned one stack level each.
    private static let channelsPerSubscribe = 256
    /// Commands that would put the command connection into a mode hiredis
    /// cannot match replies to.
    private static let pubSubCommands: Set<String> = ["SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "MONITOR"]

    public init(url: RedisURL, loop: EventLoop, options: RedisLinkOptions = RedisLinkOptions()) {
        self.url = url
        commands = RedisConnection(role: "commands", url: url, loop: loop, options: options)
        subscriber = RedisConnection(role: "subscriber", url: url, loop: loop, options: options)
        commands.delegate = self
        subscriber.delegate = self
    }

    deinit {
        close()
    }

    /// Starts connecting both connections.
    public func start() {
        guard !isClosed else { return }
        commands.start()
        subscriber.start()
    }

    /// Closes both connections. Commands already issued are still sent and
    /// their replies delivered; later ones fail with `LINKDOWN`. No other
    /// callback runs afterwards (they are released, so they may capture the link).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        state = .disconnected
        onStateChange = nil
        onProblem = nil
        onMessage = nil
        commands.close()
        subscriber.close()
    }

    // MARK: Commands

    /// Sends a command; `reply` gets Redis's answer, or an error at once
    /// (before this returns) if the command connection is not up.
    public func command(_ arguments: [[UInt8]], reply: @escaping (RedisReply) -> Void) {
        if let refusal = refusal(of: arguments) { return reply(.error(refusal)) }
        guard issue(arguments, reply: reply) else { return reply(.error(linkDownMessage)) }
    }

    /// `command` with text arguments: `link.command("GET", "key") { … }`.
    public func command(_ arguments: String..., reply: @escaping (RedisReply) -> Void) {
        command(arguments.map { Array($0.utf8) }, reply: reply)
    }

    /// Sends a command whose reply nobody reads. False if it was not sent
    /// (the command connection is down).
    @discardableResult
    public func send(_ arguments: [[UInt8]]) -> Bool {
        guard refusal(of: arguments) == nil else { return false }
        return issue(arguments, reply: nil)
    }

    /// PUBLISH, fire-and-forget. Publishes of one loop turn leave in one
    /// write. False if not sent (the command connection is down).
    @discardableResult
    public func publish(_ payload: [UInt8], to channel: String) -> Bool {
        issue([Self.publishCommand, Array(channel.utf8), payload], reply: nil)
    }

    /// Only once the handshake is done: a command queued while connecting
    /// would leave before AUTH and SELECT.
    private func issue(_ arguments: [[UInt8]], reply: ((RedisReply) -> Void)?) -> Bool {
        commands.isReady && commands.issue(arguments, reply: reply)
    }

    private var linkDownMessage: String {
        "\(RedisReply.linkDown) \(isClosed ? "the Redis link is closed" : "not connected to Redis (\(url))")"
    }

    private func refusal(of arguments: [[UInt8]]) -> String? {
        guard let name = arguments.first else { return "ERR empty command" }
        guard !Self.pubSubCommands.contains(String(decoding: name, as: UTF8.self).uppercased()) else {
            return "ERR use RedisLink.subscribe and unsubscribe for pub/sub"
        }
        return nil
    }

    // MARK: Subscriptions

    /// Adds `channel` to `channels`: subscribed now if the subscriber is up,
    /// else as soon as it is.
    public func subscribe(_ channel: String) {
        guard !isClosed, channels.insert(channel).inserted, subscriber.isReady else { return }
        subscriber.issuePubSub([Array("SUBSCRIBE".utf8), Array(channel.utf8)])
    }

    /// Removes `channel` from `channels`, unsubscribing now if the subscriber is up.
    public func unsubscribe(_ channel: String) {
        guard !isClosed, channels.remove(channel) != nil else { return }
        if subscriber.isReady {
            subscriber.issuePubSub([Array("UNSUBSCRIBE".utf8), Array(channel.utf8)])
        }
        confirm(channel)
    }

    private func subscribeAll() {
        unconfirmed = channels
        let names = channels.map { Array($0.utf8) }
        for start in stride(from: 0, to: names.count, by: Self.channelsPerSubscribe) {
            let chunk = names[start..<min(start + Self.channelsPerSubscribe, names.count)]
            subscriber.issuePubSub([Array("SUBSCRIBE".utf8)] + chunk)
        }
        isSubscriberSynced = unconfirmed.isEmpty
    }

    private func confirm(_ channel: String) {
        guard unconfirmed.remove(channel) != nil, unconfirmed.isEmpty, subscriber.isReady else { return }
        isSubscriberSynced = true
        updateState()
    }

    // MARK: RedisConnectionDelegate

    func connectionDidBecomeReady(_ connection: RedisConnection) {
        if connection === subscriber { subscribeAll() }
        updateState()
    }

    func connectionDidFail(_ connection: RedisConnection, reason: String, wasReady: Bool, retryInMs: UInt64) {
        if connection === subscriber {
            isSubscriberSynced = false
            unconfirmed = []
        }
        onProblem?("\(reason); next attempt in \(retryInMs) ms")
        updateState()
    }

    func connection(_ connection: RedisConnection, didReceivePush reply: UnsafeMutablePointer<redisReply>) {
        let push = reply.pointee
        guard push.type == REDIS_REPLY_ARRAY, push.elements >= 3,
              let kind = push.element[0], let name = push.element[1], let body = push.element[2],
              kind.pointee.type == REDIS_REPLY_STRING else { return }
        if strcmp(kind.pointee.str, "message") == 0 {
            onMessage?(String(decoding: RedisReply.bytes(of: name.pointee), as: UTF8.self),
                       RedisReply.bytes(of: body.pointee))
        } else if strcmp(kind.pointee.str, "subscribe") == 0 {
            confirm(String(decoding: RedisReply.bytes(of: name.pointee), as: UTF8.self))
        }
    }

    private func updateState() {
        guard !isClosed else { return }
        let now: State = commands.isReady && subscriber.isReady && isSubscriberSynced ? .connected : .disconnected
        guard now != state else { return }
        state = now
        onStateChange?(now)
    }
}
