import Foundation
import VisCore

/// Records every call as an `Equatable` value: a backend for tests (yours and ours), shipped in the library.
///
/// ```swift
/// let recorder = InMemoryVisBackend()
/// let visualizer = try Visualizer(backends: [.backend(recorder)])
/// train(visualizer)
/// #expect(recorder.scalars(named: "loss").map(\.step) == [0, 1, 2])
/// ```
///
/// It keeps the backend contract: calls after ``close()`` throw ``VisBackendError/closed(backend:)`` and are not
/// recorded; ``isOpened`` shows whether the backend was used (lazy opening).
public final class InMemoryVisBackend: VisBackend, @unchecked Sendable {
    /// One recorded call.
    public enum Record: Sendable, Equatable {
        case config(Config)
        case graph(ModelGraph)
        case image(name: String, image: Image, step: Int)
        case scalar(name: String, value: ScalarValue, step: Int)
        case scalars(ScalarDictionary, step: Int, filePath: String?)
        case flush
        case close
    }

    private let lock = NSLock()
    private var storage: [Record] = []
    private var opened = false
    private var closed = false
    private let directory: String?

    /// Creates an empty recorder. `saveDir` is only reported through ``saveDir`` (nothing is written).
    public init(saveDir: String? = nil) {
        self.directory = saveDir
    }

    public var saveDir: String? { directory }

    /// The recorder itself; accessing it marks the backend opened.
    public var experiment: Any {
        get throws {
            try record(nil)
            return self
        }
    }

    /// Every call so far, in order (including `flush` and `close`).
    public var records: [Record] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }

    /// Whether any `add*` call or ``experiment`` access reached the backend.
    public var isOpened: Bool {
        lock.lock()
        defer { lock.unlock() }
        return opened
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closed
    }

    /// The values logged under `name` by `addScalar` and `addScalars`, with their steps, in order.
    public func scalars(named name: String) -> [(step: Int, value: ScalarValue)] {
        records.compactMap { record in
            switch record {
            case let .scalar(recordName, value, step) where recordName == name: return (step, value)
            case let .scalars(dictionary, step, _):
                return dictionary[name].map { (step, $0) }
            default: return nil
            }
        }
    }

    /// The images logged under `name`, with their steps, in order.
    public func images(named name: String) -> [(step: Int, image: Image)] {
        records.compactMap { record in
            if case let .image(recordName, image, step) = record, recordName == name { return (step, image) }
            return nil
        }
    }

    /// Forgets the records (the open and closed state stay).
    public func removeAllRecords() {
        lock.lock()
        defer { lock.unlock() }
        storage.removeAll()
    }

    private func record(_ entry: Record?) throws {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw VisBackendError.closed(backend: "InMemoryVisBackend") }
        opened = true
        if let entry { storage.append(entry) }
    }

    public func addConfig(_ config: Config) throws { try record(.config(config)) }

    public func addGraph(_ graph: ModelGraph) throws { try record(.graph(graph)) }

    public func addImage(name: String, image: Image, step: Int) throws {
        try record(.image(name: name, image: image, step: step))
    }

    public func addScalar(name: String, value: ScalarValue, step: Int) throws {
        try record(.scalar(name: name, value: value, step: step))
    }

    public func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {
        try record(.scalars(scalars, step: step, filePath: filePath))
    }

    public func flush() {
        lock.lock()
        defer { lock.unlock() }
        if !closed { storage.append(.flush) }
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        if !closed {
            closed = true
            storage.append(.close)
        }
    }
}
