import Foundation
import Logging
import VisBackends
import VisCore

/// A backend for a ``Visualizer``: a config to build through `VisBackendRegistry` or a ready instance.
public enum VisBackendSpec: Sendable {
    /// A config such as `["type": "LocalVisBackend", "name": "local"]`; it gets the visualizer's
    /// `<saveDir>/vis_data` unless it has its own `save_dir`.
    case config(OrderedDictionary<String, ConfigValue>)
    /// A backend built by the caller, used as is; `name` defaults to its type name.
    case backend(any VisBackend, name: String? = nil)
}

extension VisBackendSpec: ExpressibleByDictionaryLiteral {
    /// A ``config(_:)`` spec from a literal: `["type": "LocalVisBackend"]`.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        var entries = OrderedDictionary<String, ConfigValue>()
        for (key, value) in elements { entries[key] = value }
        self = .config(entries)
    }
}

/// Receives the visualizer's warnings (skipped backends, ignored arguments) besides its `Logger`.
public typealias VisualizerWarningHandler = @Sendable (String) -> Void

/// MMEngine's `Visualizer`: holds the image being drawn on and sends images, scalars and configs to its storage
/// backends.
///
/// ```swift
/// let visualizer = try Visualizer(name: "train", backends: [["type": "LocalVisBackend"]], saveDir: "work_dirs/run1")
/// visualizer.addScalars(["loss": 0.31, "acc": 0.9], step: 100)
///           .addImage(name: "pred", image: image, step: 100)
/// ```
///
/// - **Drawing** (``drawBoundingBoxes(_:edgeColors:lineStyles:lineWidths:faceColors:alpha:)``,
///   ``drawTexts(_:at:fontSizes:colors:verticalAlignments:horizontalAlignments:fonts:backgrounds:)``,
///   ``drawBinaryMasks(_:colors:alphas:)``, points, lines, circles, polygons) renders immediately into the image set
///   with ``setImage(_:)``, with MMEngine's defaults and rules; ``getImage()`` returns the result and
///   ``show(image:windowName:waitTime:target:)`` displays it.
/// - **Backends** are kept in insertion order and named uniquely (default: the type name). Built from configs,
///   they write into `<saveDir>/vis_data` unless their config has its own `save_dir`; a backend that needs a save
///   directory and gets none is skipped with a warning (MMEngine's rules).
/// - **Storage calls never throw and never stop training**: a failing backend is reported to the `Logger` and the
///   error handler, and the other backends still store the data. They return the visualizer for chaining.
/// - **Ranks.** Only rank 0 stores: on other ranks (``rank``, detected from `RANK`/`SLURM_PROCID`/`LOCAL_RANK`)
///   every `add*` call is a cheap no-op that still returns the visualizer, so chains keep working.
/// - **Thread-safe.** Calls may come from any thread; each backend keeps the order of one thread's calls.
/// - **Named instances.** ``getInstance(name:image:backends:saveDir:)`` creates or returns a process-wide
///   instance, ``currentInstance`` the latest one (MMEngine's `ManagerMixin`). A visualizer made with `init` is
///   not registered.
public final class Visualizer: @unchecked Sendable {
    /// State that drawing extensions (`Visualizer+Drawing.swift`) read and change through ``withState(_:)``.
    struct State: Sendable {
        /// The canvas drawn on, holding the image; `nil` until ``setImage(_:)``. Kept between draws so that its
        /// scratch buffers are reused.
        var canvas: Canvas?
        /// The image drawn on; `nil` until ``setImage(_:)``.
        var image: Image? {
            get { canvas?.image }
            set {
                guard let newValue else {
                    canvas = nil
                    return
                }
                // Keeping the canvas keeps its rasterizer's scratch buffers.
                if canvas != nil {
                    canvas?.image = Visualizer._drawable(newValue)
                } else {
                    canvas = Canvas(image: Visualizer._drawable(newValue))
                }
            }
        }
        /// Dataset information for task visualizers (class names, palette).
        var datasetMeta: ConfigValue?
        /// The warnings given once per visualizer (missing glyphs), already reported.
        var reportedOnce: Set<String> = []
        /// The rank of this process; only rank 0 stores.
        var rank: Int
    }

    /// The visualizer's name (MMEngine's `instance_name`).
    public let name: String
    /// The directory backends built from configs write into (`<saveDir>/vis_data`), or `nil`.
    public let saveDir: String?
    /// The backends, in insertion order.
    public let backends: MultiplexVisBackend
    /// Receives warnings and backend failures.
    public let logger: Logger

    /// The task visualizer and lock of `addDatasample` (TaskVisualizer.swift).
    let _taskSlot = _TaskVisualizerSlot()
    private let warningHandler: VisualizerWarningHandler?
    private let errorHandler: VisBackendErrorHandler?
    private let state: LockedValue<State>

    /// Creates a visualizer. Nothing touches disk: backends open on their first use.
    ///
    /// - Parameters:
    ///   - name: A non-empty name.
    ///   - image: The image to draw on, if any.
    ///   - backends: Configs and instances, in order.
    ///   - saveDir: The run directory; backends built from configs write into `<saveDir>/vis_data`.
    ///   - rank: This process's rank; `nil` detects it with ``ProcessRank/detect(environment:)``.
    ///   - registry: Builds the config backends (default: `VisBackendRegistry.shared`).
    ///   - logger: Receives warnings and failures.
    ///   - warningHandler: Also receives each warning.
    ///   - errorHandler: Also receives each backend failure (synchronous ones, and the asynchronous ones of
    ///     backends built from configs).
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` for an empty name,
    ///   `VisBackendError.duplicateBackendName(_:)` for two backends with one name, registry errors for a bad
    ///   backend config (a `VisBackendError.configValue` key path starts with the backend entry's place,
    ///   `backends[1].init_kwargs.project`), ``VisualizerError/invalidEnvironment(variable:expected:actual:)`` for
    ///   a malformed rank variable.
    public init(
        name: String = "visualizer", image: Image? = nil, backends: [VisBackendSpec] = [], saveDir: String? = nil,
        rank: Int? = nil, registry: VisBackendRegistry = .shared, logger: Logger? = nil,
        warningHandler: VisualizerWarningHandler? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) throws {
        guard !name.isEmpty else {
            throw VisualizerError.invalidArgument(argument: "name", expected: "a non-empty name", actual: "\"\"")
        }
        if let rank, rank < 0 {
            throw VisualizerError.invalidArgument(argument: "rank", expected: "a non-negative rank", actual: "\(rank)")
        }
        let logger = logger ?? Logger(label: "Visualization.Visualizer")
        self.name = name
        self.logger = logger
        self.warningHandler = warningHandler
        self.errorHandler = errorHandler
        self.saveDir = saveDir.map { ($0 as NSString).appendingPathComponent("vis_data") }
        // The multiplexer reports the first failure of each backend and kind, and the counts when it closes.
        let visualizerName = name
        self.backends = try MultiplexVisBackend(
            errorHandler: { [logger] error in
                logger.error("visualizer \(visualizerName): \(error)")
                errorHandler?(error)
            }, logger: logger)
        self.state = LockedValue(State(
            canvas: image.map { Canvas(image: Visualizer._drawable($0)) }, datasetMeta: nil,
            rank: try rank ?? ProcessRank.detect()))
        try addBackends(backends, argument: "backends", registry: registry)
    }

    /// Builds and adds `specs` in order. A config error names the entry's key path under `argument`
    /// (`backends[1].init_kwargs.project`).
    private func addBackends(_ specs: [VisBackendSpec], argument: String, registry: VisBackendRegistry) throws {
        for (index, spec) in specs.enumerated() {
            switch spec {
            case .config(let config):
                let built: (name: String, backend: any VisBackend)
                do {
                    built = try registry.build(
                        config, defaultSaveDir: saveDir, logger: logger, errorHandler: errorHandler)
                } catch VisBackendError.missingSaveDir(let type) {
                    warn("Failed to add \(type), please provide the `save_dir` argument.")
                    continue
                } catch VisBackendError.configValue(let key, let expected, let actual) {
                    throw VisBackendError.configValue(
                        key: "\(argument)[\(index)].\(key)", expected: expected, actual: actual)
                }
                try backends.add(built.backend, name: built.name)
            case .backend(let backend, let name):
                try backends.add(backend, name: name)
            }
        }
    }

    /// Creates a visualizer from a config: `name`, `vis_backends` (one config dictionary or an array of them),
    /// `save_dir`, and optionally `type` (ignored here; see ``VisualizerRegistry``). MMEngine's `fig_save_cfg` and
    /// `fig_show_cfg` are accepted and ignored (there is no matplotlib figure).
    ///
    /// Like `init`, this does not register the visualizer; ``VisualizerRegistry/build(_:)`` does.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` for a missing or mistyped key or an unknown
    ///   one, plus the errors of ``init(name:image:backends:saveDir:rank:registry:logger:warningHandler:errorHandler:)``.
    public convenience init(
        config: Config, rank: Int? = nil, registry: VisBackendRegistry = .shared, logger: Logger? = nil,
        warningHandler: VisualizerWarningHandler? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) throws {
        let decoded: _VisualizerConfig
        do {
            decoded = try ConfigValueDecoder().decode(_VisualizerConfig.self, from: config.root)
        } catch let error as ConfigDecodingError {
            throw VisualizerError(error)
        }
        let name = decoded.name ?? "visualizer"
        let saveDir = decoded.saveDir
        let specs = decoded.backends.map(VisBackendSpec.config)
        try self.init(
            name: name, backends: [], saveDir: saveDir, rank: rank, registry: registry, logger: logger,
            warningHandler: warningHandler, errorHandler: errorHandler)
        try addBackends(specs, argument: "vis_backends", registry: registry)
    }

    // MARK: - State

    /// Runs `body` with exclusive access to the visualizer's state (drawing extensions use this).
    func withState<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        try state.withLock(body)
    }

    /// This process's rank. Only rank 0 stores; set it to simulate another rank or to override detection.
    public var rank: Int {
        get { withState { $0.rank } }
        set { withState { $0.rank = max(0, newValue) } }
    }

    /// Whether this process is rank 0, the one that stores.
    public var isMainProcess: Bool { rank == 0 }

    /// Dataset information for task visualizers (MMEngine's `dataset_meta`), e.g. `["classes": ["cat", "dog"]]`.
    public var datasetMeta: ConfigValue? {
        get { withState { $0.datasetMeta } }
        set { withState { $0.datasetMeta = newValue } }
    }

    /// Replaces the image drawn on (a value copy: later changes to the caller's image do not reach it), erasing
    /// what was drawn. A gray image is replicated to RGB so that colours can be drawn on it (MMEngine shows a 2-D
    /// image through matplotlib's viridis colormap instead); RGB and RGBA images are kept as they are.
    @discardableResult
    public func setImage(_ image: Image) -> Visualizer {
        withState { $0.image = image }
        return self
    }

    /// The image with what has been drawn on it; bit-identical to the image set when nothing was drawn (for
    /// gray input: its RGB replication). The result is a value: drawing afterwards does not change it.
    ///
    /// - Throws: ``VisualizerError/noImage(visualizer:)`` before ``setImage(_:)``.
    public func getImage() throws -> Image {
        // Copying the canvas out and reading its image after the lock (rather than `$0.image` inside it) also
        // keeps the Swift 6.x optimizer's ownership verifier from crashing in release builds of callers.
        guard let canvas = withState({ $0.canvas }) else { throw VisualizerError.noImage(visualizer: name) }
        return canvas.image
    }

    /// The backend named `name`, or `nil`.
    public func getBackend(name: String) -> (any VisBackend)? {
        backends.backend(named: name)
    }

    // MARK: - Storage

    /// Stores a config in every backend.
    @discardableResult
    public func addConfig(_ config: Config) -> Visualizer {
        store("addConfig") { try $0.addConfig(config) }
    }

    /// Stores a model graph in every backend that can show one.
    @discardableResult
    public func addGraph(_ graph: ModelGraph) -> Visualizer {
        store("addGraph") { try $0.addGraph(graph) }
    }

    /// Stores an image under `name` at `step` in every backend.
    @discardableResult
    public func addImage(name: String, image: Image, step: Int = 0) -> Visualizer {
        store("addImage") { try $0.addImage(name: name, image: image, step: step) }
    }

    /// Stores one scalar in every backend.
    @discardableResult
    public func addScalar(name: String, value: ScalarValue, step: Int = 0) -> Visualizer {
        store("addScalar") { try $0.addScalar(name: name, value: value, step: step) }
    }

    /// Stores several scalars at one step in every backend; `filePath` is the local backend's extra copy.
    @discardableResult
    public func addScalars(_ scalars: ScalarDictionary, step: Int = 0, filePath: String? = nil) -> Visualizer {
        store("addScalars") { try $0.addScalars(scalars, step: step, filePath: filePath) }
    }

    /// Stores a data sample. This default sets `image` as the visualizer's image and stores it under `name`; task
    /// visualizers draw annotations and predictions first.
    @discardableResult
    public func addDatasample(name: String, image: Image, step: Int = 0) -> Visualizer {
        guard isMainProcess else { return self }
        setImage(image)
        return addImage(name: name, image: image, step: step)
    }

    /// Waits until every backend has handed what it was given to the operating system.
    public func flush() {
        backends.flush()
    }

    /// Closes every backend (on every rank, as in MMEngine), then logs how often each backend failed, per kind, if
    /// any did (each kind was reported in full only the first time). Idempotent.
    public func close() {
        backends.close()
    }

    private func store(_ operation: String, _ body: (MultiplexVisBackend) throws -> Void) -> Visualizer {
        guard isMainProcess else { return self }
        do {
            try body(backends)
        } catch VisBackendError.backendsFailed {
            // Reported by the multiplexer: once per backend and kind, counted after that.
        } catch let error as VisBackendError {
            report(error)
        } catch {
            report(.backendsFailed([BackendFailure(backend: "visualizer", operation: operation, error: error)]))
        }
        return self
    }

    private func report(_ error: VisBackendError) {
        logger.error("visualizer \(name): \(error)")
        errorHandler?(error)
    }

    /// Logs a warning and passes it to the warning handler.
    func warn(_ message: String) {
        logger.warning("\(message)")
        warningHandler?(message)
    }
}
