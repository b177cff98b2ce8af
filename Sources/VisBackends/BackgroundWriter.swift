import DequeModule
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
/// - **Order.** Work runs in the order it was submitted, one item at a time, on one thread.
/// - **Bounded memory, back-pressure.** Every item has a cost in bytes (an append costs its length, an image
///   job its pixel count). While the queued and running cost exceeds ``maximumPendingBytes`` a producer waits
///   for room; an item is always admitted into an empty queue, however large.
/// - **Whole appends.** Consecutive appends to one ``AppendFile`` are joined and written with one `write(2)`, so
///   a reader (or a crash) never sees part of one ``append(_:to:)``'s bytes without the rest — the property that
///   keeps JSON-lines files free of half lines.
/// - **`flush()`** returns once everything submitted before it has run (appends are in the operating system).
/// - **`close()`** runs what is queued, stops the thread, closes the files it opened; idempotent. Later
///   submissions throw ``VisBackendError/closed(backend:)``.
/// - **Errors** thrown by work items are logged and passed to the error handler; the writer carries on.
/// - **Lazy.** The thread starts with the first submission; a writer that was never used costs nothing.
///
/// The error handler and work items run on the writer thread: they must not call ``flush()`` or ``close()`` of
/// the same writer (those calls return immediately there instead of deadlocking).
public final class BackgroundWriter: @unchecked Sendable {
    /// The name used in log messages and in ``VisBackendError/closed(backend:)``.
    public let label: String
    /// The most bytes of work that may wait or run before producers wait.
    public let maximumPendingBytes: Int

    private let logger: Logger
    private let errorHandler: VisBackendErrorHandler?
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queue = Deque<Job>()
    private var pendingBytes = 0
    private var submittedCount: UInt64 = 0
    private var completedCount: UInt64 = 0
    private var started = false
    private var closed = false
    private var finished = false
    private var writerWaiting = false
    private var writerThread: pthread_t?
    private var openedFiles: [ObjectIdentifier: AppendFile] = [:]

    /// A single coalesced append grows to at most this many bytes before a new one starts.
    private static let maximumAppendChunk = 1 << 20
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
    ///   - logger: Receives one `error` message per failed item.
    ///   - errorHandler: Also receives each failure, on the writer thread.
    public init(
        label: String, maximumPendingBytes: Int = 64 << 20, logger: Logger? = nil,
        errorHandler: VisBackendErrorHandler? = nil
    ) {
        self.label = label
        self.maximumPendingBytes = max(1, maximumPendingBytes)
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

    /// Queues `bytes` to be appended to `file` with one `write(2)` (joined with neighbouring appends to the same
    /// file). Waits while the queue is full.
    ///
    /// - Throws: ``VisBackendError/closed(backend:)`` after ``close()``.
    public func append(_ bytes: [UInt8], to file: AppendFile) throws {
        guard !bytes.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        try admit(cost: bytes.count)
        if case .append(let lastFile, var joined)? = queue.last, lastFile === file,
            joined.count + bytes.count <= BackgroundWriter.maximumAppendChunk
        {
            // Take the buffer out of the queue first so that appending to it does not copy it.
            queue.removeLast()
            joined.append(contentsOf: bytes)
            queue.append(.append(file, joined))
        } else {
            queue.append(.append(file, bytes))
            submittedCount += 1
        }
        pendingBytes += bytes.count
        wakeWriter()
    }

    /// Queues `work` to run on the writer thread. `cost` is the memory it holds until it has run (an image's
    /// pixel bytes). Waits while the queue is full.
    ///
    /// - Throws: ``VisBackendError/closed(backend:)`` after ``close()``.
    public func submit(cost: Int, _ work: @escaping @Sendable () throws -> Void) throws {
        let charged = max(0, cost) + BackgroundWriter.itemOverhead
        condition.lock()
        defer { condition.unlock() }
        try admit(cost: charged)
        queue.append(.work(cost: charged, work))
        submittedCount += 1
        pendingBytes += charged
        wakeWriter()
    }

    /// Returns once everything submitted before the call has run. Returns at once after ``close()``, before the
    /// first submission, or when called on the writer thread.
    public func flush() {
        condition.lock()
        defer { condition.unlock() }
        guard started, !finished, !isWriterThread else { return }
        let target = submittedCount
        while completedCount < target && !finished {
            condition.wait()
        }
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
                wakeWriter()
            } else {
                finished = true
            }
        }
        guard !isWriterThread else { return }
        while !finished {
            condition.wait()
        }
    }

    // MARK: - Internals (called with `condition` locked)

    private var isWriterThread: Bool {
        guard let writerThread else { return false }
        return pthread_equal(writerThread, pthread_self()) != 0
    }

    private func admit(cost: Int) throws {
        guard !closed else { throw VisBackendError.closed(backend: label) }
        if !started { startThread() }
        // Work items run on the writer thread may themselves submit; they must never wait for room.
        guard !isWriterThread else { return }
        while pendingBytes > 0 && pendingBytes + cost > maximumPendingBytes && !closed {
            condition.wait()
        }
        guard !closed else { throw VisBackendError.closed(backend: label) }
    }

    private func wakeWriter() {
        if writerWaiting { condition.broadcast() }
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
        while true {
            while queue.isEmpty {
                writerWaiting = true
                condition.wait()
                writerWaiting = false
            }
            let job = queue.removeFirst()
            if case .stop = job { break }
            condition.unlock()
            let cost = perform(job)
            condition.lock()
            pendingBytes -= cost
            completedCount += 1
            condition.broadcast()
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

    private func report(_ error: any Error) {
        let failure = (error as? VisBackendError) ?? .io(path: label, reason: String(describing: error))
        logger.error("\(label): \(failure)")
        errorHandler?(failure)
    }
}

/// A file that a ``BackgroundWriter`` appends to. It is opened (created if missing, `O_APPEND`) on the writer
/// thread at the first append and closed when the writer closes.
public final class AppendFile: @unchecked Sendable {
    /// The file's path.
    public let path: String
    // Only touched on the writer thread.
    private var descriptor: Int32 = -1

    /// Describes the file at `path`; nothing is opened yet.
    public init(path: String) {
        self.path = path
    }

    deinit {
        if descriptor >= 0 { _ = systemClose(descriptor) }
    }

    /// Appends all of `bytes`, retrying short writes and `EINTR`.
    func write(_ bytes: [UInt8]) throws {
        if descriptor < 0 {
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw VisBackendError.io(path: path, reason: AppendFile.lastErrorMessage()) }
        }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw VisBackendError.io(path: path, reason: AppendFile.lastErrorMessage())
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
