import Foundation
import Logging
import OrderedCollections
import VisCore

/// Fans every call out to several named backends, in insertion order (swift-log's `MultiplexLogHandler` for
/// storage). A `Visualizer` keeps its backends in one.
///
/// Naming follows MMEngine: a backend's name defaults to its type name (`"LocalVisBackend"`) and names are unique,
/// so two unnamed backends of one type are an error.
///
/// A failing backend does not stop the others: every backend is called, then the failures are thrown together as
/// ``VisBackendError/backendsFailed(_:)``. The error handler gets only the first failure of each backend and kind
/// (a backend whose save directory is read-only fails on every call); later ones are counted
/// (``failureCounts``), and ``close()`` logs the counts.
public final class MultiplexVisBackend: VisBackend, Sendable {
    private let entries = LockedValue<OrderedDictionary<String, any VisBackend>>([:])
    private let errorHandler: VisBackendErrorHandler?
    private let logger: Logger?
    private let tally = _FailureTally()

    /// Creates a multiplexer over `backends`, each named by its type name.
    ///
    /// - Throws: ``VisBackendError/duplicateBackendName(_:)`` when two have the same type.
    public convenience init(
        _ backends: [any VisBackend] = [], errorHandler: VisBackendErrorHandler? = nil, logger: Logger? = nil
    ) throws {
        try self.init(named: backends.map { (nil, $0) }, errorHandler: errorHandler, logger: logger)
    }

    /// Creates a multiplexer over named backends; a `nil` name means the type name.
    ///
    /// - Parameters:
    ///   - backends: The backends in call order, each with its name (nil: its type name).
    ///   - errorHandler: Receives the first failure of each backend and kind.
    ///   - logger: Receives the failure counts when the multiplexer closes.
    /// - Throws: ``VisBackendError/duplicateBackendName(_:)``.
    public init(
        named backends: [(name: String?, backend: any VisBackend)], errorHandler: VisBackendErrorHandler? = nil,
        logger: Logger? = nil
    ) throws {
        self.errorHandler = errorHandler
        self.logger = logger
        for (name, backend) in backends { try add(backend, name: name) }
    }

    /// How often each backend failed, per kind, in the order the kinds first failed.
    public var failureCounts: [BackendFailureCount] { tally.all }

    /// Adds a backend after the existing ones.
    ///
    /// - Parameters:
    ///   - backend: The backend to add.
    ///   - name: Its unique name; `nil` means its type name.
    /// - Throws: ``VisBackendError/duplicateBackendName(_:)``,
    ///   ``VisBackendError/invalidArgument(argument:expected:actual:)`` for an empty name.
    public func add(_ backend: any VisBackend, name: String? = nil) throws {
        let name = name ?? visBackendTypeName(backend)
        guard !name.isEmpty else {
            throw VisBackendError.invalidArgument(argument: "name", expected: "a non-empty backend name", actual: "\"\"")
        }
        try entries.withLock { entries in
            guard entries[name] == nil else { throw VisBackendError.duplicateBackendName(name) }
            entries[name] = backend
        }
    }

    /// The backend named `name`, or `nil` (MMEngine's `get_backend` never raises).
    public func backend(named name: String) -> (any VisBackend)? {
        entries.withLock { $0[name] }
    }

    /// The backends with their names, in insertion order.
    public var backends: [(name: String, backend: any VisBackend)] {
        entries.withLock { entries in entries.map { ($0.key, $0.value) } }
    }

    /// The names, in insertion order.
    public var names: [String] { backends.map(\.name) }

    /// The number of backends.
    public var count: Int { backends.count }

    /// `nil`: the multiplexer stores nothing itself.
    public var saveDir: String? { nil }

    /// Each backend's ``VisBackend/experiment``, by name, in order. Opens every backend.
    public var experiment: Any {
        get throws {
            var experiments = OrderedDictionary<String, Any>()
            for (name, backend) in backends { experiments[name] = try backend.experiment }
            return experiments
        }
    }

    /// Calls `body` on every backend in order; collects failures, reports the first of each backend and kind, and
    /// throws them all after the last call.
    private func forEach(_ operation: String, _ body: (any VisBackend) throws -> Void) throws {
        var failures: [BackendFailure] = []
        var firsts: [BackendFailure] = []
        for (name, backend) in backends {
            do {
                try body(backend)
            } catch {
                let failure = BackendFailure(backend: name, operation: operation, error: error)
                failures.append(failure)
                if tally.record(backend: name, error: error) { firsts.append(failure) }
            }
        }
        guard !failures.isEmpty else { return }
        if !firsts.isEmpty { errorHandler?(.backendsFailed(firsts)) }
        throw VisBackendError.backendsFailed(failures)
    }

    public func addConfig(_ config: Config) throws {
        try forEach("addConfig") { try $0.addConfig(config) }
    }

    public func addGraph(_ graph: ModelGraph) throws {
        try forEach("addGraph") { try $0.addGraph(graph) }
    }

    public func addImage(name: String, image: Image, step: Int) throws {
        // Backends that store PNG encode it once between them, on the first writer thread to get there.
        _SharedPNGEncodings.shared.share(image, among: backends.map(\.backend))
        try forEach("addImage") { try $0.addImage(name: name, image: image, step: step) }
    }

    public func addScalar(name: String, value: ScalarValue, step: Int) throws {
        try forEach("addScalar") { try $0.addScalar(name: name, value: value, step: step) }
    }

    public func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {
        try forEach("addScalars") { try $0.addScalars(scalars, step: step, filePath: filePath) }
    }

    public func flush() {
        for (_, backend) in backends { backend.flush() }
    }

    /// Closes every backend, then logs how often each failed (per kind), if any did.
    public func close() {
        for (_, backend) in backends { backend.close() }
        if let summary = tally.takeSummary() { logger?.error("\(summary)") }
    }
}
