@testable import HuddleServer
import HuddleJSON
import FuzzSupport

private let secret = Array("fuzzing-secret-0123456789".utf8)
private let jwt = JWT(secret: secret)
private let verifier = TokenVerifier(keys: KeyRing(configured: [VerificationKey(secret: secret)]), issuer: nil, audience: nil)

/// libFuzzer entry. An even first byte verifies the rest as a token as it is
/// (signature, base64url, header checks); an odd one signs the rest as the
/// claims payload first, so the claim checks behind the signature are reached.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWT(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard count > 0, let start else { return 0 }
    let rest = UnsafeBufferPointer(start: start + 1, count: count - 1)
    let token: String
    if start[0] % 2 == 0 {
        token = String(decoding: rest, as: UTF8.self)
    } else {
        guard let claims = try? JSONParser.parse(UnsafeRawBufferPointer(rest)) else { return 0 }
        token = jwt.sign(claims)
    }
    _ = try? verifier.verify(token, nowSeconds: 1_800_000_000)
    return 0
}

@_cdecl("FuzzJWT_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzJWT($0, $1) }
}
