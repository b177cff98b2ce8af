import OrderedCollections
import VisCore

/// A storage backend: where a visualizer's images, scalars, configs and graphs go (local files, TensorBoard,
/// Weights & Biases, a test recorder, or your own).
///
/// The counterpart of MMEngine's `BaseVisBackend`. Every method has a default implementation that does nothing
/// (see the extension below), so a custom backend implements only what it stores — typically
/// ``addScalar(name:value:step:)`` and ``addScalars(_:step:filePath:)`` — plus ``close()``. Register it under its
/// type name with ``VisBackendRegistry`` to build it from a config.
///
/// ## The contract every backend keeps
/// - **Lazy.** Constructing a backend touches nothing: no directory, file, socket or thread. The first `add*`
///   call or the first access to ``experiment`` opens it. Closing a backend that was never used is a no-op that
///   also touches nothing.
/// - **Thread-safe.** Any method may be called from any thread or task, concurrently. Calls made by one thread
///   are stored in the order they were made.
/// - **Never blocks the caller on slow I/O for long.** Image encoding, disk and network writes happen off the
///   caller's thread (``BackgroundWriter`` provides this). Memory is bounded: when the queue is full the caller
///   waits for room (back-pressure) instead of the queue growing without limit.
/// - **`flush()` returns when everything added before it is in the operating system** (written with `write(2)`
///   or handed to the client library), so it survives the process being killed. It does not `fsync`.
/// - **`close()` flushes, then releases files, threads and clients. It is idempotent.** After `close()`, every
///   `add*` throws ``VisBackendError/closed(backend:)``; `flush()` and `close()` do nothing.
/// - **Errors never crash the process.** Bad arguments (an image name that escapes the save directory, a scalar
///   file name without `.json`, …) throw a ``VisBackendError`` synchronously and store nothing. Failures that
///   happen later, on a writer thread (disk full, permission denied, a lost connection), are reported to the
///   backend's ``VisBackendErrorHandler`` and its `Logger`; the backend keeps accepting calls. A backend never
///   traps, and one backend failing never stops the others (``MultiplexVisBackend`` calls every backend and then
///   reports all failures together).
///
/// ## Values
/// Scalars are ``ScalarValue``s, which keep MMEngine's distinction between integers and floats (`3` vs `3.0` in
/// JSON). Scalar dictionaries are ``ScalarDictionary`` (an `OrderedDictionary`), because stores such as the JSON
/// lines of `scalars.json` keep the caller's key order. Configs are ``Config`` trees; graphs are ``ModelGraph``s.
public protocol VisBackend: AnyObject, Sendable {
    /// The directory the backend writes into, or `nil` when it stores nothing on disk.
    ///
    /// Mirrors MMEngine's `_save_dir`. A visualizer skips a registered backend that requires a save directory
    /// when neither its config nor the visualizer provides one (see ``VisBackendRegistry``).
    var saveDir: String? { get }

    /// The backend's native object (MMEngine's `experiment`): the run, writer or client it wraps; for
    /// ``LocalVisBackend`` the backend itself. Accessing it opens the backend.
    ///
    /// Typed `Any` so that backends of different kinds fit in one heterogeneous collection; cast it to the type
    /// the backend documents.
    var experiment: Any { get throws }

    /// Stores a training or experiment configuration.
    func addConfig(_ config: Config) throws

    /// Stores the description of a model graph where the backend can show one (TensorBoard can; local files
    /// cannot and ignore it).
    func addGraph(_ graph: ModelGraph) throws

    /// Stores an image under `name` at `step`. The image is encoded (PNG) off the caller's thread.
    func addImage(name: String, image: Image, step: Int) throws

    /// Stores one scalar `value` under `name` at `step`.
    func addScalar(name: String, value: ScalarValue, step: Int) throws

    /// Stores several scalars at one `step`, in the dictionary's order.
    ///
    /// - Parameters:
    ///   - scalars: The values by name.
    ///   - step: The step they belong to.
    ///   - filePath: MMEngine's extra copy: a backend that writes files also writes the scalars to this file
    ///     (relative to ``saveDir``); other backends ignore it.
    func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws

    /// Returns once everything added before the call is in the operating system (or the client library).
    func flush()

    /// Flushes and releases the backend's resources. Idempotent; later `add*` calls throw
    /// ``VisBackendError/closed(backend:)``.
    func close()
}

/// Defaults, so that a custom backend implements only what it stores (MMEngine's `BaseVisBackend` pattern). None
/// of them opens the backend.
extension VisBackend {
    public var saveDir: String? { nil }
    public var experiment: Any { get throws { self } }
    public func addConfig(_ config: Config) throws {}
    public func addGraph(_ graph: ModelGraph) throws {}
    public func addImage(name: String, image: Image, step: Int) throws {}
    public func addScalar(name: String, value: ScalarValue, step: Int) throws {}
    public func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {}
    public func flush() {}
    public func close() {}
}

/// Convenience overloads with MMEngine's defaults (`step = 0`, no extra file).
extension VisBackend {
    /// Stores an image at step 0.
    public func addImage(name: String, image: Image) throws {
        try addImage(name: name, image: image, step: 0)
    }

    /// Stores a scalar at step 0.
    public func addScalar(name: String, value: ScalarValue) throws {
        try addScalar(name: name, value: value, step: 0)
    }

    /// Stores scalars at `step` (default 0) without an extra file.
    public func addScalars(_ scalars: ScalarDictionary, step: Int = 0) throws {
        try addScalars(scalars, step: step, filePath: nil)
    }
}

/// An ordered dictionary of scalars: the order is the order of the keys in stored lines.
public typealias ScalarDictionary = OrderedDictionary<String, ScalarValue>

/// Receives failures that happen after a call returned (on a writer thread). It is called on that thread; keep
/// it short.
public typealias VisBackendErrorHandler = @Sendable (VisBackendError) -> Void

/// The type name of a backend (`"LocalVisBackend"`): its default name in a visualizer and its registry key.
public func visBackendTypeName(_ backend: any VisBackend) -> String {
    String(describing: type(of: backend))
}
