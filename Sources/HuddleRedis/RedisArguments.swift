/// Hands a command's arguments to hiredis without copying them:
/// `redisAsyncCommandArgv` copies them once, into its output buffer.
enum RedisArguments {
    /// A valid address for an empty argument (hiredis memcpy's zero bytes from it).
    private static let emptyArgument = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Calls `body` with argc, argv and argvlen pointing into `arguments`'
    /// own storage, valid during the call. `arguments` must not be empty.
    static func withArgv<Result>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
    ) -> Result {
        precondition(!arguments.isEmpty, "a Redis command needs at least its name")
        return withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: arguments.count) { pointers in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: arguments.count) { lengths in
                // Each argument's storage is pinned only inside its own
                // withUnsafeBytes, so they nest, one level per argument.
                func pin(_ index: Int) -> Result {
                    guard index < arguments.count else {
                        return body(Int32(arguments.count), pointers.baseAddress!, lengths.baseAddress!)
                    }
                    return arguments[index].withUnsafeBytes { bytes in
                        pointers[index] = UnsafeRawPointer(bytes.baseAddress ?? UnsafeRawPointer(emptyArgument))
                            .assumingMemoryBound(to: CChar.self)
                        lengths[index] = bytes.count
                        return pin(index + 1)
                    }
                }
                return pin(0)
            }
        }
    }
}
