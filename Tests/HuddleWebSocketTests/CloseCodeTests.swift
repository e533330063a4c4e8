import HuddleWebSocket
import Testing

@Test(arguments: [UInt16(1000), 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4008, 4009, 4999])
func codesAllowedOnTheWire(code: UInt16) {
    #expect(CloseCode.isValidOnTheWire(code))
}

@Test(arguments: [UInt16(0), 999, 1004, 1005, 1006, 1012, 1015, 2999, 5000])
func codesNotAllowedOnTheWire(code: UInt16) {
    #expect(!CloseCode.isValidOnTheWire(code))
}

@Test func huddleCodesHaveTheirNumbers() {
    #expect(CloseCode.rateLimited.rawValue == 4008)
    #expect(CloseCode.slowConsumer.rawValue == 4009)
    #expect(CloseCode.messageTooBig.rawValue == 1009)
}
