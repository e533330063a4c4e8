import Testing

@testable import HuddleConfig

/// `storage.postgres_url` and `--storage postgres://…` (issue: PostgreSQL storage).
@Suite struct PostgresStorageConfigTests {
    static let url = "postgres://huddle:s3cret-pw@db.internal:5433/crm"

    @Test func postgresURLFromFileEnvironmentOrFlagSelectsPostgres() throws {
        let fromFile = try loadConfig(file: "[storage]\npostgres_url = \"\(Self.url)\"\n")
        #expect(fromFile.storage.postgresURL?.text == Self.url)
        let fromEnvironment = try loadConfig(environment: ["HUDDLE_STORAGE_POSTGRES_URL": Self.url])
        #expect(fromEnvironment.storage.postgresURL?.text == Self.url)
        let fromFlag = try loadConfig(overrides: CommandLineOverrides(storage: "postgresql://h/db"))
        #expect(fromFlag.storage.postgresURL?.text == "postgresql://h/db")
    }

    @Test func redactedURLHidesThePassword() throws {
        let url = try #require(PostgresURL(Self.url))
        #expect(url.redacted == "postgres://huddle:***@db.internal:5433/crm")
        #expect(PostgresURL("postgres://huddle@h/db")?.redacted == "postgres://huddle@h/db")
    }

    @Test func pathAndPostgresURLBothSetIsOneProblemNamingBothKeys() throws {
        let problems = try loadProblems(file: "[storage]\npath = \"x.sqlite\"\n",
                                        environment: ["HUDDLE_STORAGE_POSTGRES_URL": Self.url])
        #expect(problems.count == 1)
        #expect(problems.first?.key == "storage.postgres_url")
        #expect(problems.first?.source == "environment HUDDLE_STORAGE_POSTGRES_URL")
        #expect(problems.first?.message.contains("storage.path (set at ") == true)
        #expect(problems.first?.message.contains("huddle.toml:2:1)") == true)
    }

    @Test func storageFlagChoosesTheBackendOverTheFile() throws {
        let file = "[storage]\npath = \"x.sqlite\"\n"
        let onPostgres = try loadConfig(file: file, overrides: CommandLineOverrides(storage: Self.url))
        #expect(onPostgres.storage.postgresURL?.text == Self.url)
        let onSQLite = try loadConfig(environment: ["HUDDLE_STORAGE_POSTGRES_URL": Self.url],
                                      overrides: CommandLineOverrides(storage: "flag.sqlite"))
        #expect(onSQLite.storage.postgresURL == nil)
        #expect(onSQLite.storage.path == "flag.sqlite")
    }

    @Test(arguments: [
        ("mysql://u:s3cret-pw@h/db", "is not a postgres:// or postgresql:// URL"),
        ("postgres://u:s3cret-pw@/db", "names no host"),
        ("postgres://u:s3cret-pw@h:/db", "has an empty port"),
        ("postgres://u:s3cret-pw@h:5432", "names no database"),
        ("postgres://u:s3cret-pw@h:5432/a/b", "names no database"),
    ])
    func malformedURLIsAProblemThatNeverShowsThePassword(url: String, problem: String) throws {
        let problems = try loadProblems(environment: ["HUDDLE_STORAGE_POSTGRES_URL": url])
        #expect(problems.map(\.key) == ["storage.postgres_url"])
        #expect(problems.first?.message.hasPrefix(problem) == true, "\(problems)")
        #expect(problems.allSatisfy { !$0.message.contains("s3cret-pw") && !$0.source.contains("s3cret-pw") })
    }
}

/// `[cluster]` keys (issue: cluster).
@Suite struct ClusterConfigTests {
    @Test func clusterNeedsPostgresAndSaysWhichKeys() throws {
        let problems = try loadProblems(environment: ["HUDDLE_CLUSTER_REDIS_URL": "redis://127.0.0.1:6379/0"])
        #expect(problems.map(\.key) == ["cluster.redis_url"])
        #expect(problems.first?.message.contains("storage.postgres_url") == true)
        #expect(problems.first?.message.contains("storage.path") == true)
    }

    @Test func clusterOnPostgresLoads() throws {
        let config = try loadConfig(environment: [
            "HUDDLE_CLUSTER_REDIS_URL": "redis://:pw@127.0.0.1:6380/2", "HUDDLE_CLUSTER_NODE_ID": "node-a",
            "HUDDLE_STORAGE_POSTGRES_URL": "postgres://u@127.0.0.1/huddle",
        ])
        #expect(config.cluster.redisURL == "redis://:pw@127.0.0.1:6380/2")
        #expect(config.cluster.nodeID == "node-a")
        #expect(config.cluster.nodeTTLMs == 10_000)
    }

    @Test func badRedisURLAndNodeIDAreProblemsThatHideThePassword() throws {
        let problems = try loadProblems(file: "[cluster]\nredis_url = \"http://:s3cret@h\"\nnode_id = \"a b\"\n")
        #expect(Set(problems.map(\.key)) == ["cluster.redis_url", "cluster.node_id"])
        #expect(problems.allSatisfy { !$0.message.contains("s3cret") })
    }
}
