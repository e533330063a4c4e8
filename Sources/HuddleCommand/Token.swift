import ArgumentParser
import Foundation
import HuddleServer

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JWT signed with the configured auth.jwt_secret, for testers.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "User id (the `sub` claim).") var user: String
    @Option(help: "Display name (default: the user id).") var name: String?
    @Option(help: "Comma-separated workspace ids, or * for all.") var workspaces = "*"
    @Option(help: "viewer, editor or admin.") var role = "editor"
    @Option(help: "Lifetime in seconds.") var ttl = 3600

    func run() throws {
        let config = try options.load()
        guard let secret = config.auth.jwtSecret else {
            FileHandle.standardError.write(Data("huddle: no auth.jwt_secret is configured (set HUDDLE_AUTH_JWT_SECRET)\n".utf8))
            throw ExitCode(2)
        }
        do {
            print(try TokenMinter(secret: secret).mint(user: user, name: name, workspaces: workspaces.split(separator: ",").map(String.init),
                                                       role: role, ttlSeconds: ttl))
        } catch {
            FileHandle.standardError.write(Data("huddle: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
