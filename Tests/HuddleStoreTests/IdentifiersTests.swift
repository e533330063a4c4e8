import Testing
@testable import HuddleStore

@Suite struct IdentifiersTests {
    @Test func timestampIsISO8601UTCWithMilliseconds() {
        #expect(Identifiers.timestamp(seconds: 1_795_341_601, milliseconds: 4) == "2026-11-22T10:00:01.004Z")
        #expect(Identifiers.timestamp(seconds: 0, milliseconds: 999) == "1970-01-01T00:00:00.999Z")
    }

    @Test func recordIDsAreURLSafeAndDistinct() {
        let ids = (0..<1000).map { _ in Identifiers.newRecordID() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == Identifiers.recordIDLength && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
    }
}
