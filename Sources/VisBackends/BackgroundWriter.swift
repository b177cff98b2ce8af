import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded queue and one writer thread: backends hand it file appends and other slow work (image encoding,
/// network sends) and return to the caller at once.
///
/// - **Order.** Work items run in submission order on one thread. Appends to one file keep their order; appends
///   are joined per file (up to 1 MiB) and written with one `write(2)` each, so a reader (or a crash) never sees
///   part of one ``append(_:to:)``'s bytes without the rest — the property that keeps JSON-lines files free of half
///   lines. An append never moves past a work item submitted after it.
/// - **Periodic writes.** Small appends wait up to ``flushInterval`` (or until 64 KiB are queued) so that many of
///   them share one system call; work items, ``flush()``, ``close()`` and a full queue start the writer at once.
/// - **Bounded memory, back-pressure.** Every item has a cost in bytes (an append costs its length, a work item
///   the memory it holds, e.g. an image's pixels). While the queued and running cost exceeds
///   ``maximumPendingBytes`` a producer waits for room; an item is always admitted into an empty queue.
/// - **`flush()`** returns once everything submitted before it has run (appends are in the operating system).
/// - **`close()`** runs what is queued, stops the thread, closes the files it opened; idempotent. Later
///   submissions throw ``VisBackendError/closed(backend:)``.
/// - **Errors** thrown by work items or appends are logged and passed to the error handler; the writer carries
///   on.
/// - **Lazy.** The thread starts with the first submission; a writer that was never used costs nothing.
///
/// The error handler and work items run on the writer thread. There, ``flush()`` and ``close()`` return at once
/// instead of deadlocking, and submissions never wait for room.
public final class BackgroundWriter: @unchecked Sendable {
    /// The name used in log messages and in ``VisBackendError/closed(backend:)``.
    public let label: String
    /// The most bytes of work that may wait or run before producers wait.
    public let maximumPendingBytes: Int
    /// The longest time, in seconds, a small append waits in the queue before it is written.
    public let flushInterval: Double

    private let logger: Logger
    private let errorHandler: VisBackendErrorHandler?
    private let failures = _FailureTally()
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queue: [Job] = []
    /// The queue index of the append job each file's next append joins (cleared by work items and draining).
    private var appendSlots: [ObjectIdentifier: Int] = [:]
    private var queuedAppendBytes = 0
    private var queuedWorkItems = 0
    private var oldestQueuedAt: UInt64?  // DispatchTime uptime, nanoseconds
    private var pendingBytes = 0
    private var submittedCount: UInt64 = 0
    private var completedCount: UInt64 = 0
    private var flushWaiters = 0
    private var producersWaiting = 0
    private var started = false
    private var closed = false
    private var finished = false
    private var writerThread: pthread_t?
    private var openedFiles: [ObjectIdentifier: AppendFile] = [:]

    /// A single joined append grows to at most this many bytes before a new one starts.
    private static let maximumAppendChunk = 1 << 20
    /// Queued appends of at least this many bytes start the writer without waiting for the interval.
    private static let appendBatchBytes = 64 << 10
    /// The cost charged for a work item beyond its stated cost (the closure and bookkeeping).
    private static let itemOverhead = 64

    private enum Job {
        case append(AppendFile, [UInt8])
        case work(cost: Int, @Sendable () throws -> Void)
        case stop
    }

    /// Creates a writer; no thread starts until the first submission.
    ///
    /// - Parameters:
    ///   - label: Names the writer in logs and errors (usually the backend's type name).
    ///   - maximumPendingBytes: The back-pressure bound (default 64 MiB, about twenty 1333×800 RGB images).
    ///   - flushInterval: How long small appends may wait to be joined, in seconds (default 0.1).
    ///   - logger: Receives the first failure of each kind and, at ``close()``, how many there were.
    ///   - errorHandler: Also receives the first failure of each kind, on the writer thread.
    public init(
        label: String, maximumPendingBytes: Int = 64 << 20, flushInterval: Double = 0.1, logger: Logger? = nil,
        errorHandler: VisBackendErrorHandler? = nil
    ) {
        self.label = label
        self.maximumPendingBytes = max(1, maximumPendingBytes)
        self.flushInterval = flushInterval.isFinite ? min(max(0, flushInterval), 3600) : 0.1
        self.logger = logger ?? Logger(label: "VisBackends.BackgroundWriter")
        self.errorHandler = errorHandler
    }

    deinit {
        close()
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    /// Queues `bytes` to be appended to `file`, joined with neighbouring appends to the same file into one
    /// `write(2)`. Waits while the queue is full.
    ///
    /// - Throws: ``VisBackendError/closed(backend:)`` after ``close()``.
    public func append(_ bytes: [UInt8], to file: AppendFile) throws {
        guard !bytes.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        try admit(cost: bytes.count)
        let key = ObjectIdentifier(file)
        if let slot = appendSlots[key], case .append(_, var joined) = queue[slot],
            joined.count + bytes.count <= BackgroundWriter.maximumAppendChunk
        {
            // Take the buffer out of the queue first so that appending to it does not copy it.
            queue[slot] = .stop
            joined.append(contentsOf: bytes)
            queue[slot] = .append(file, joined)
        } else {
            appendSlots[key] = queue.count
            queue.append(.append(file, bytes))
            submittedCount += 1
        }
        if oldestQueuedAt == nil { oldestQueuedAt = DispatchTime.now().uptimeNanoseconds }
        queuedAppendBytes += bytes.count
        pendingBytes += bytes.count
        if queuedAppendBytes >= BackgroundWriter.appendBatchBytes { condition.broadcast() }
    }

    /// Queues `work` to run on the writer thread after everything submitted before it. `cost` is the memory it
    /// holds until it has run (an image's pixel bytes). Waits while the queue is full.
    ///
    /// - Throws: ``VisBackendError/closed(backend:)`` after ``close()``.
    public func submit(cost: Int, _ work: @escaping @Sendable () throws -> Void) throws {
        let charged = max(0, cost) + BackgroundWriter.itemOverhead
        condition.lock()
        defer { condition.unlock() }
        try admit(cost: charged)
        queue.append(.work(cost: charged, work))
        // Later appends must not join appends queued before this item.
        appendSlots.removeAll(keepingCapacity: true)
        if oldestQueuedAt == nil { oldestQueuedAt = DispatchTime.now().uptimeNanoseconds }
        queuedWorkItems += 1
        submittedCount += 1
        pendingBytes += charged
        condition.broadcast()
    }

    /// Returns once everything submitted before the call has run. Returns at once after ``close()``, before the
    /// first submission, or when called on the writer thread.
    public func flush() {
        condition.lock()
        defer { condition.unlock() }
        guard started, !finished, !isWriterThread else { return }
        let target = submittedCount
        flushWaiters += 1
        condition.broadcast()
        while completedCount < target && !finished {
            condition.wait()
        }
        flushWaiters -= 1
    }

    /// Runs everything queued, stops the writer thread and closes the files it opened. Idempotent; concurrent
    /// callers all return after the thread has stopped.
    public func close() {
        condition.lock()
        defer { condition.unlock() }
        if !closed {
            closed = true
            if started {
                queue.append(.stop)
                condition.broadcast()
            } else {
                finished = true
            }
        }
        guard !isWriterThread else { return }
        while !finished {
            condition.wait()
        }
        if let summary = failures.takeSummary() { logger.error("\(summary)") }
    }

    // MARK: - Internals (called with `condition` locked)

    private var isWriterThread: Bool {
        guard let writerThread else { return false }
        return pthread_equal(writerThread, pthread_self()) != 0
    }

    /// Whether the writer should drain the queue now rather than wait for more small appends.
    private var isUrgent: Bool {
        closed || flushWaiters > 0 || producersWaiting > 0 || queuedWorkItems > 0
            || queuedAppendBytes >= BackgroundWriter.appendBatchBytes
    }

    private func admit(cost: Int) throws {
        guard !closed else { throw VisBackendError.closed(backend: label) }
        if !started { startThread() }
        // Work items run on the writer thread may themselves submit; they must never wait for room.
        guard !isWriterThread else { return }
        if pendingBytes > 0 && pendingBytes + cost > maximumPendingBytes {
            producersWaiting += 1
            condition.broadcast()
            while pendingBytes > 0 && pendingBytes + cost > maximumPendingBytes && !closed {
                condition.wait()
            }
            producersWaiting -= 1
        }
        guard !closed else { throw VisBackendError.closed(backend: label) }
    }

    private func startThread() {
        started = true
        let thread = Thread { [self] in
            self.run()
        }
        thread.name = "VisBackends.BackgroundWriter(\(label))"
        thread.start()
    }

    private func run() {
        condition.lock()
        writerThread = pthread_self()
        var stopping = false
        while !stopping {
            // Wait for work; let small appends gather for up to `flushInterval` unless something is urgent.
            while true {
                if queue.isEmpty {
                    condition.wait()
                    continue
                }
                if isUrgent { break }
                let now = DispatchTime.now().uptimeNanoseconds
                let deadline = (oldestQueuedAt ?? now) + UInt64(flushInterval * 1e9)
                if now >= deadline { break }
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9))
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            appendSlots.removeAll(keepingCapacity: true)
            queuedAppendBytes = 0
            queuedWorkItems = 0
            oldestQueuedAt = nil
            condition.unlock()
            for job in batch {
                if case .stop = job {
                    stopping = true
                    break
                }
                let cost = perform(job)
                condition.lock()
                pendingBytes -= cost
                completedCount += 1
                condition.broadcast()
                condition.unlock()
            }
            condition.lock()
        }
        let files = Array(openedFiles.values)
        openedFiles.removeAll()
        condition.unlock()
        for file in files { file.closeDescriptor() }
        condition.lock()
        finished = true
        completedCount = submittedCount
        condition.broadcast()
        condition.unlock()
    }

    /// Runs one job on the writer thread; returns its cost.
    private func perform(_ job: Job) -> Int {
        switch job {
        case .append(let file, let bytes):
            condition.lock()
            openedFiles[ObjectIdentifier(file)] = file
            condition.unlock()
            do {
                try file.write(bytes)
            } catch {
                report(error)
            }
            return bytes.count
        case .work(let cost, let work):
            do {
                try work()
            } catch {
                report(error)
            }
            return cost
        case .stop:
            return 0
        }
    }

    /// Reports the first failure of each kind; later ones are counted and summarised by ``close()``, so that a
    /// writer that cannot write does not log once per item.
    private func report(_ error: any Error) {
        let failure = (error as? VisBackendError) ?? .io(path: label, reason: String(describing: error))
        guard failures.record(backend: label, error: failure) else { return }
        logger.error("\(label): \(failure)")
        errorHandler?(failure)
    }
}

/// A file that a ``BackgroundWriter`` appends to. It is opened (created if missing, `O_APPEND`) on the writer
/// thread at the first append and closed when the writer closes.
///
/// A file removed during the run (or whose folder was removed, or that was replaced by a folder) is noticed at the
/// next write instead of appending to a file nobody can see: a line format (`reopensWhenRemoved`) creates the file
/// and its folders again and continues there; a framed format, whose header and framing a new file would lack,
/// stops writing. Either is reported as an ``VisBackendError/io(path:reason:)`` error.
public final class AppendFile: @unchecked Sendable {
    /// The file's path.
    public let path: String
    /// Whether the file is created again when it disappears during the run.
    public let reopensWhenRemoved: Bool
    // Only touched on the writer thread.
    private var descriptor: Int32 = -1
    /// Set once a file that must not be created again has disappeared.
    private var removed = false

    /// Describes the file at `path`; nothing is opened yet.
    ///
    /// - Parameters:
    ///   - path: The file, created if missing at the first append.
    ///   - reopensWhenRemoved: Whether a file that disappears during the run is created again (with its folders)
    ///     and appends continue in it (`true`, for line formats such as JSON lines), or appends stop with an error
    ///     (`false`, for formats with a header or framing).
    public init(path: String, reopensWhenRemoved: Bool = true) {
        self.path = path
        self.reopensWhenRemoved = reopensWhenRemoved
    }

    deinit {
        if descriptor >= 0 { _ = systemClose(descriptor) }
    }

    /// Appends all of `bytes`, retrying short writes and `EINTR`.
    ///
    /// A write that fails part-way (a full disk) is undone: the file is cut back to its length before the call, so
    /// it never ends in a torn JSON line or record, and appends resume on a boundary once space comes back. A
    /// failure throws ``VisBackendError/io(path:reason:)``; the writer reports the first of each kind and counts
    /// the rest.
    func write(_ bytes: [UInt8]) throws {
        if removed {
            throw VisBackendError.io(path: path, reason: "the file was removed during the run; nothing more is written to it")
        }
        var recreated = false
        if descriptor >= 0, isUnlinked {
            closeDescriptor()
            guard reopensWhenRemoved else {
                removed = true
                throw VisBackendError.io(
                    path: path, reason: "the file was removed during the run; nothing more is written to it")
            }
            recreated = true
            try BackendFile.createDirectory((path as NSString).deletingLastPathComponent)
        }
        if descriptor < 0 {
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw VisBackendError.io(path: path, reason: AppendFile.lastErrorMessage()) }
        }
        try append(bytes)
        if recreated {
            // Reported after the write so that nothing given after the removal is lost.
            throw VisBackendError.io(
                path: path, reason: "the file was removed during the run; it was created again and logging continues in it")
        }
    }

    /// Whether the open file has no name left (it, or its folder, was removed or replaced).
    private var isUnlinked: Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && status.st_nlink == 0
    }

    private func append(_ bytes: [UInt8]) throws {
        let start = lseek(descriptor, 0, SEEK_END)
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    let reason = AppendFile.lastErrorMessage()
                    if offset > 0, start >= 0 { _ = ftruncate(descriptor, start) }
                    throw VisBackendError.io(path: path, reason: reason)
                }
                offset += written
            }
        }
    }

    func closeDescriptor() {
        if descriptor >= 0 {
            _ = systemClose(descriptor)
            descriptor = -1
        }
    }

    static func lastErrorMessage() -> String {
        String(cString: strerror(errno))
    }
}

// Module-level aliases so the methods named `write`/`close` can call the C functions.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}
