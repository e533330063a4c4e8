import Foundation
import HuddleJSON
import HuddleTestSupport
@testable import HuddleServer

/// A private key made by the `openssl` CLI for one test, which signs JWTs
/// with it (also through the CLI) and describes its public half as PEM or JWK.
final class SigningKey {
    enum Kind {
        case rsa, p256, p384, ed25519

        /// The kind of key an algorithm signs with.
        init(for algorithm: String) {
            switch algorithm {
            case "ES256": self = .p256
            case "ES384": self = .p384
            case "EdDSA": self = .ed25519
            default: self = .rsa
            }
        }
    }

    let kind: Kind
    let privatePath: String
    let publicPath: String
    private let directory: TemporaryDirectory

    init(_ kind: Kind) throws {
        self.kind = kind
        directory = try TemporaryDirectory(prefix: "huddle-key")
        privatePath = directory.file("private.pem")
        publicPath = directory.file("public.pem")
        let options: [String]
        switch kind {
        case .rsa: options = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        case .p256: options = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        case .p384: options = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]
        case .ed25519: options = ["-algorithm", "ed25519"]
        }
        try OpenSSLCommand.run(["genpkey"] + options + ["-out", privatePath])
        try OpenSSLCommand.run(["pkey", "-in", privatePath, "-pubout", "-out", publicPath])
    }

    var publicPEM: String { (try? String(contentsOfFile: publicPath, encoding: .utf8)) ?? "" }

    /// The public key as a JWK; `alg` pins it when given.
    func jwk(kid: String?, alg: String?) throws -> JSONValue {
        var fields: [String: JSONValue] = ["use": "sig"]
        if let kid { fields["kid"] = .string(kid) }
        if let alg { fields["alg"] = .string(alg) }
        let der = try OpenSSLCommand.run(["pkey", "-pubin", "-in", publicPath, "-outform", "DER"])
        switch kind {
        case .rsa:
            let text = String(decoding: try OpenSSLCommand.run(["rsa", "-pubin", "-in", publicPath, "-noout", "-modulus"]), as: UTF8.self)
            let hex = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("Modulus=".count))
            let modulus = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! }
            fields["kty"] = "RSA"
            fields["n"] = .string(Base64URL.encode(modulus))
            // genpkey's default public exponent, 65537.
            fields["e"] = "AQAB"
        case .p256, .p384:
            // A SubjectPublicKeyInfo ends with the uncompressed point 04 || x || y.
            let size = kind == .p256 ? 32 : 48
            let point = Array(der.suffix(2 * size))
            fields["kty"] = "EC"
            fields["crv"] = .string(kind == .p256 ? "P-256" : "P-384")
            fields["x"] = .string(Base64URL.encode(Array(point.prefix(size))))
            fields["y"] = .string(Base64URL.encode(Array(point.suffix(size))))
        case .ed25519:
            fields["kty"] = "OKP"
            fields["crv"] = "Ed25519"
            fields["x"] = .string(Base64URL.encode(Array(der.suffix(32))))
        }
        return .object(fields)
    }

    /// A compact JWS of `claims` with this header.
    func token(_ claims: JSONValue, alg: String, kid: String?) throws -> String {
        var header: [String: JSONValue] = ["alg": .string(alg), "typ": "JWT"]
        if let kid { header["kid"] = .string(kid) }
        let input = Base64URL.encode(JSONValue.object(header).encoded()) + "." + Base64URL.encode(claims.encoded())
        return input + "." + Base64URL.encode(try signature(Array(input.utf8), alg: alg))
    }

    func signature(_ message: [UInt8], alg: String) throws -> [UInt8] {
        let input = directory.file("input")
        FileManager.default.createFile(atPath: input, contents: Data(message))
        if alg == "EdDSA" {
            return try OpenSSLCommand.run(["pkeyutl", "-sign", "-inkey", privatePath, "-rawin", "-in", input])
        }
        let digest = "-sha" + alg.suffix(3)
        var options = ["dgst", digest, "-sign", privatePath]
        if alg.hasPrefix("PS") { options += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"] }
        let signature = try OpenSSLCommand.run(options + [input])
        guard alg.hasPrefix("ES") else { return signature }
        return Self.rawECDSA(der: signature, size: alg == "ES256" ? 32 : 48)
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` as JWS wants it: r || s, each `size` bytes.
    static func rawECDSA(der: [UInt8], size: Int) -> [UInt8] {
        var index = 2
        var out: [UInt8] = []
        for _ in 0..<2 {
            let length = Int(der[index + 1])
            let integer = der[(index + 2)..<(index + 2 + length)].drop { $0 == 0 }
            out += [UInt8](repeating: 0, count: size - integer.count) + integer
            index += 2 + length
        }
        return out
    }
}
