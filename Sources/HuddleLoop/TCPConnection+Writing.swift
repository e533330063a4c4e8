import CUV

// Writes are queued and flushed once per loop turn by the loop's
// WriteFlushScheduler: one uv_try_write over every queued buffer, then one
// uv_write for whatever the kernel did not take.
extension TCPConnection {
    /// Queues `buffer` for the next flush. The buffer is shared, not copied,
    /// and stays alive until its bytes are written. Dropped once `isClosed`.
    public func write(_ buffer: OutboundBuffer) {
        guard enqueue(buffer) else { return }
        scheduleFlush()
    }

    /// Queues `buffer` to go out within `EventLoop.batchDelayMs`, together
    /// with whatever else the connection gets meanwhile. For output that
    /// tolerates a few milliseconds (relays, broadcasts): fewer, larger writes.
    /// A plain `write` in the meantime sends the batch along at once.
    public func writeBatched(_ buffer: OutboundBuffer) {
        guard enqueue(buffer), !isScheduledForFlush, !isWaitingForBatch else { return }
        if loop.batchDelayMs == 0 {
            scheduleFlush()
        } else {
            isWaitingForBatch = true
            loop.flushScheduler.scheduleBatched(self)
        }
    }

    /// Whether `buffer` was queued: not once the connection stops writing.
    private func enqueue(_ buffer: OutboundBuffer) -> Bool {
        loop.assertOnLoopThread()
        guard state == .open, buffer.count > 0 else { return false }
        queued.append(buffer)
        queuedBytes += buffer.count
        return true
    }

    /// Copies `bytes` into a new `OutboundBuffer` and queues it.
    public func write(_ bytes: [UInt8]) {
        guard state == .open, !bytes.isEmpty else { return }
        write(OutboundBuffer(bytes))
    }

    /// Bytes queued plus bytes handed to libuv and not yet written; use it
    /// to cut off slow consumers.
    public var pendingWriteBytes: Int {
        queuedBytes + inFlightBytes
    }

    /// Bytes the kernel refused at earlier flushes and libuv still holds: the
    /// backlog a slow reader leaves behind. Unlike `pendingWriteBytes` it does
    /// not count this loop turn's writes, which a burst (a batch of store
    /// replies) can make large for every connection at once.
    public var backlogBytes: Int {
        inFlightBytes
    }

    /// Flushes what is queued, then shuts down the write side and closes;
    /// `onClose` follows. Later writes are dropped. Idempotent.
    public func closeAfterFlush() {
        guard state == .open else { return }
        state = .draining
        scheduleFlush()
    }

    func scheduleFlush() {
        guard !isScheduledForFlush else { return }
        isScheduledForFlush = true
        loop.flushScheduler.schedule(self)
    }

    /// Called by the scheduler when the batch delay is over; output a plain
    /// write already flushed is not flushed twice.
    func batchDelayDidEnd() {
        isWaitingForBatch = false
        if !queued.isEmpty { scheduleFlush() }
    }

    /// Called by the scheduler once per turn in which this connection got output.
    func flushQueued() {
        isScheduledForFlush = false
        guard state == .open || state == .draining else { return }
        if let security { seal(through: security) }
        if !queued.isEmpty {
            writeQueued()
        }
        if state == .draining && !isShutdownStarted {
            startShutdown()
        }
    }

    private func writeQueued() {
        flushCount += 1
        let count = queued.count
        let vectors = loop.writeVectors(capacity: count)
        for (index, buffer) in queued.enumerated() {
            vectors[index] = uv_buf_init(buffer.base.assumingMemoryBound(to: CChar.self), UInt32(buffer.count))
        }
        let total = queuedBytes
        let tried = uv_try_write(stream, vectors, UInt32(count))
        // EAGAIN: the socket is full or a uv_write is still in flight (libuv
        // refuses to overtake it), so everything goes through uv_write.
        if tried < 0 && tried != UV_EAGAIN.rawValue {
            closeNow(error: LoopError(code: tried))
            return
        }
        let written = max(Int(tried), 0)
        if written < total {
            var first = 0
            var skip = written
            while skip >= queued[first].count {
                skip -= queued[first].count
                first += 1
            }
            vectors[first] = uv_buf_init(
                (queued[first].base + skip).assumingMemoryBound(to: CChar.self),
                UInt32(queued[first].count - skip))
            let request = WriteRequest(buffers: Array(queued[first...]), byteCount: total - written)
            let status = uv_write(request.request, stream, vectors + first, UInt32(count - first)) { request, status in
                guard let request else { return }
                let stream = request.pointee.handle
                guard let finished = WriteRequest.complete(request) else { return }
                LoopHandle.owner(of: stream, as: TCPConnection.self)?
                    .didWrite(byteCount: finished.byteCount, status: status)
            }
            if status < 0 {
                request.abandon()
                closeNow(error: LoopError(code: status))
                return
            }
            inFlightBytes += total - written
        }
        // A burst (a presence storm, a replay) must not leave every idle
        // connection holding a large empty array; a short one is reused.
        queued.removeAll(keepingCapacity: queued.capacity <= Self.retainedQueueCapacity)
        queuedBytes = 0
    }

    static let retainedQueueCapacity = 8

    /// Replaces the queued application bytes with what the socket must send
    /// for them, ending the stream first when the connection is closing.
    private func seal(through security: StreamSecurity) {
        for buffer in queued {
            security.send(UnsafeRawBufferPointer(start: buffer.base, count: buffer.count))
        }
        if state == .draining && !isShutdownStarted { security.finish() }
        let output = security.takeOutput()
        queued = output.isEmpty ? [] : [OutboundBuffer(output)]
        queuedBytes = output.count
    }

    private func didWrite(byteCount: Int, status: Int32) {
        inFlightBytes -= byteCount
        // Cancelled writes belong to a close already under way.
        if status < 0 && status != UV_ECANCELED.rawValue {
            closeNow(error: LoopError(code: status))
        }
    }

    /// uv_shutdown waits for in-flight writes, so it can start right after
    /// the last flush.
    private func startShutdown() {
        isShutdownStarted = true
        let request = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        let status = uv_shutdown(request, stream) { request, status in
            guard let request else { return }
            let stream = request.pointee.handle
            request.deallocate()
            guard status != UV_ECANCELED.rawValue,
                  let connection = LoopHandle.owner(of: stream, as: TCPConnection.self) else { return }
            // A lingering close keeps reading until the peer's end of stream.
            if status < 0 || connection.lingerTimer == nil {
                connection.closeNow(error: status < 0 ? LoopError(code: status) : nil)
            }
        }
        if status < 0 {
            request.deallocate()
            closeNow(error: LoopError(code: status))
        }
    }
}
