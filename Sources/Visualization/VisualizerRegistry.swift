import Foundation
import VisBackends
import VisCore

/// Builds visualizers from configs such as `{"type": "Visualizer", "name": "vis", "vis_backends": [...],
/// "save_dir": "work_dirs/run1"}` (MMEngine's `VISUALIZERS` registry).
///
/// Like MMEngine, building goes through ``Visualizer/getInstance(name:create:)``: the config must have a `name`,
/// the visualizer is registered globally and becomes ``Visualizer/currentInstance``, and building a name that
/// exists returns the existing instance. Users register their own types (for example a configured task
/// visualizer) under a type name.
public final class VisualizerRegistry: Sendable {
    /// Makes a visualizer from its config (which still holds `type` and `name`).
    public typealias Factory = @Sendable (Config) throws -> Visualizer

    private let factories = LockedValue<OrderedDictionary<String, Factory>>([:])

    /// The process-wide registry, holding `"Visualizer"` and the built-in task visualizers (`"DetectionVisualizer"`,
    /// ...; see ``registerTaskVisualizer(_:optionKeys:make:)``).
    public static let shared: VisualizerRegistry = {
        let registry = VisualizerRegistry()
        registry.register("Visualizer") { config in try Visualizer(config: config) }
        registry._registerBuiltInTaskVisualizers()
        return registry
    }()

    /// Creates an empty registry.
    public init() {}

    /// Registers (or replaces) a visualizer type.
    public func register(_ typeName: String, factory: @escaping Factory) {
        factories.withLock { $0[typeName] = factory }
    }

    /// The registered type names, in registration order.
    public var typeNames: [String] {
        factories.withLock { Array($0.keys) }
    }

    /// Builds (or returns the existing) named visualizer described by `config`.
    ///
    /// - Throws: ``VisualizerError/configValue(key:expected:actual:)`` when `type` or `name` is missing or not a
    ///   string, ``VisualizerError/unknownType(type:known:)``, and what the factory throws.
    public func build(_ config: Config) throws -> Visualizer {
        let header: _VisualizerConfigHeader
        do {
            header = try ConfigValueDecoder().decode(_VisualizerConfigHeader.self, from: config.root)
        } catch let error as ConfigDecodingError {
            throw VisualizerError(error)
        }
        let (typeName, name) = (header.type, header.name)
        let (factory, known) = factories.withLock { ($0[typeName], Array($0.keys)) }
        guard let factory else { throw VisualizerError.unknownType(type: typeName, known: known) }
        return try Visualizer.getInstance(name: name) { try factory(config) }
    }
}
