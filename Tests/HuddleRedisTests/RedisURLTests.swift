import HuddleRedis
import Testing

struct RedisURLTests {
    @Test func parsesHostPortAndDatabase() throws {
        let url = try RedisURL("redis://127.0.0.1:6390/3")
        #expect(url == RedisURL(host: "127.0.0.1", port: 6390, database: 3))
    }

    @Test func defaultsPortAndDatabase() throws {
        #expect(try RedisURL("redis://redis.internal") == RedisURL(host: "redis.internal", port: 6379, database: 0))
        #expect(try RedisURL("redis://localhost/") == RedisURL(host: "localhost"))
    }

    @Test func takesAPercentEscapedPassword() throws {
        let url = try RedisURL("redis://:p%40ss:w/rd@10.0.0.5:7000/1")
        #expect(url.password == "p@ss:w/rd")
        #expect(url.host == "10.0.0.5" && url.port == 7000 && url.database == 1)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let url = try RedisURL("redis://:hunter2@127.0.0.1:6379/0")
        #expect(url.description == "redis://:***@127.0.0.1:6379/0")
        #expect(!String(describing: url).contains("hunter2"))
    }

    @Test(arguments: [
        ("http://127.0.0.1:6379", RedisURLError.notRedisScheme),
        ("rediss://127.0.0.1", .notRedisScheme),
        ("redis://user:pass@127.0.0.1", .userNameNotSupported),
        ("redis://:pa%4@127.0.0.1", .badPasswordEscape),
        ("redis://:6379/0", .missingHost),
        ("redis://", .missingHost),
        ("redis://bad host:6379", .badHost("bad host")),
        ("redis://127.0.0.1:0", .badPort("0")),
        ("redis://127.0.0.1:65536", .badPort("65536")),
        ("redis://127.0.0.1:port", .badPort("port")),
        ("redis://127.0.0.1:6379/-1", .badDatabase("-1")),
        ("redis://127.0.0.1:6379/zero", .badDatabase("zero")),
    ])
    func refusesABadURL(text: String, expected: RedisURLError) {
        #expect(throws: expected) { try RedisURL(text) }
    }

    @Test func errorsNeverShowThePassword() {
        do {
            _ = try RedisURL("redis://:top/secret@host:bad/0")
            Issue.record("a bad port was accepted")
        } catch {
            #expect(error == .badPort("bad"))
            #expect(!error.description.contains("secret"))
        }
    }
}
