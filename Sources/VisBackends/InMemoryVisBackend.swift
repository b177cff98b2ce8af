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
public final class InMemoryVisBackend: VisBackend, Sendable {
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

    private struct State {
        var records: [Record] = []
        var opened = false
        var closed = false
    }

    private let state = LockedValue(State())
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
    public var records: [Record] { state.withLock { $0.records } }

    /// Whether any `add*` call or ``experiment`` access reached the backend.
    public var isOpened: Bool { state.withLock { $0.opened } }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { state.withLock { $0.closed } }

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
        state.withLock { $0.records.removeAll() }
    }

    private func record(_ entry: Record?) throws {
        try state.withLock { state in
            guard !state.closed else { throw VisBackendError.closed(backend: "InMemoryVisBackend") }
            state.opened = true
            if let entry { state.records.append(entry) }
        }
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
        state.withLock { state in
            if !state.closed { state.records.append(.flush) }
        }
    }

    public func close() {
        state.withLock { state in
            if !state.closed {
                state.closed = true
                state.records.append(.close)
            }
        }
    }
}
