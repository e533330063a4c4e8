import CCurl

/// One request on a libcurl easy handle, from setup to its result. Lives on
/// the client's thread only.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    private let completion: (OutboundResult) -> Void
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var received: [UInt8] = []

    /// `nil` when libcurl cannot make a handle (out of memory).
    init?(_ request: OutboundRequest, completion: @escaping (OutboundResult) -> Void) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.completion = completion
        huddle_curl_set_string(handle, CURLOPT_URL, request.url)
        // Signals would reach the whole process, and the loop owns them.
        huddle_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        huddle_curl_set_long(handle, CURLOPT_TIMEOUT_MS, request.timeoutMs)
        if let caFile = request.caFile { huddle_curl_set_string(handle, CURLOPT_CAINFO, caFile) }
        if request.method != "GET" {
            huddle_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            huddle_curl_set_size(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            // COPYPOSTFIELDS: libcurl keeps its own copy, so the body's lifetime is not ours to manage.
            request.body.withUnsafeBufferPointer { body in
                _ = huddle_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                            UnsafeMutableRawPointer(mutating: body.baseAddress ?? UnsafePointer(bitPattern: 1)!))
            }
        }
        // "Expect:" turns off libcurl's 100-continue wait for larger bodies, a round trip for nothing.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        huddle_curl_set_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
        huddle_curl_set_write_function(handle) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let bytes = size * count
            if let data { data.withMemoryRebound(to: UInt8.self, capacity: bytes) { transfer.received.append(contentsOf: UnsafeBufferPointer(start: $0, count: bytes)) } }
            return bytes
        }
        huddle_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
    }

    /// The result for libcurl's final `code` of this transfer.
    func result(for code: CURLcode) -> OutboundResult {
        switch code {
        case CURLE_OK:
            var status = 0
            huddle_curl_response_code(handle, &status)
            return .response(status: status, body: received)
        case CURLE_OPERATION_TIMEDOUT:
            return .failed(OutboundFailure(.timedOut, Self.describe(code)))
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .failed(OutboundFailure(.unreachable, Self.describe(code)))
        default:
            return .failed(OutboundFailure(.transfer, Self.describe(code)))
        }
    }

    func finish(_ result: OutboundResult, deliver: (@escaping () -> Void) -> Void) {
        let completion = self.completion
        deliver { completion(result) }
    }

    private static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
