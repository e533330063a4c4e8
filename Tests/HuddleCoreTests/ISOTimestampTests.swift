import HuddleCore
import HuddleJSON
import Testing

/// ISO strings are only observable through messages: `pong.time` shows them.
private func pongTime(unixMs: Int64) throws -> String? {
    let hub = Hub(makeSessionID: { "s_1" })
    let now = Now(monotonicMs: 0, unixMs: unixMs)
    let session = hub.connect(workspace: "w", identity: Identity(userID: "u", name: "U", role: "editor"),
                              resume: nil, attachment: FakeConnection(), now: now).session
    let effects = Array(#"{"type":"ping"}"#.utf8).withUnsafeBytes { hub.receive($0, from: session, now: now) }
    guard case .send(let pong, _)? = effects.first else { return nil }
    return try JSONParser.parse(pong.bytes)["time"]?.stringValue
}

@Test(arguments: [
    (Int64(0), "1970-01-01T00:00:00.000Z"),
    (-1, "1969-12-31T23:59:59.999Z"),
    (951_782_400_000, "2000-02-29T00:00:00.000Z"),
    (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
    (4_102_444_800_000, "2100-01-01T00:00:00.000Z"),
    (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
])
func timestampsAreISO8601UTCWithMilliseconds(unixMs: Int64, expected: String) throws {
    #expect(try pongTime(unixMs: unixMs) == expected)
}
