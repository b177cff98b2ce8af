import Foundation
import Logging
import OrderedCollections
import VisCore

/// What a registered backend factory receives: the config's remaining keys and the visualizer's context.
public struct VisBackendBuildArguments: Sendable {
    /// The registered type name (`"LocalVisBackend"`).
    public var typeName: String
    /// The save directory: the config's own `save_dir`, else the visualizer's (`<save_dir>/vis_data`), else `nil`.
    public var saveDir: String?
    /// The config's keys other than `type`, `name` and `save_dir`, in order.
    public var options: OrderedDictionary<String, ConfigValue>
    /// The logger the backend should use.
    public var logger: Logger
    /// Where the backend should report asynchronous failures.
    public var errorHandler: VisBackendErrorHandler?

    /// Creates build arguments (the registry does this; tests and custom registries may too).
    public init(
        typeName: String, saveDir: String?, options: OrderedDictionary<String, ConfigValue> = [:],
        logger: Logger? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) {
        self.typeName = typeName
        self.saveDir = saveDir
        self.options = options
        self.logger = logger ?? Logger(label: "VisBackends.\(typeName)")
        self.errorHandler = errorHandler
    }

    /// The options decoded as `type`, typically a `Decodable` struct whose coding keys are the snake_case option
    /// names and whose initialiser calls `decoder.rejectUnknownKeys(_:)`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` naming the key path at fault
    ///   (`init_kwargs.tags[1]`); an unknown key expects `"one of <known> for <typeName>"`.
    public func decodeOptions<Options: Decodable>(_ type: Options.Type) throws -> Options {
        do {
            return try ConfigValueDecoder().decode(type, from: .dictionary(options))
        } catch let error as ConfigDecodingError {
            throw VisBackendError(error, typeName: typeName)
        }
    }

    /// The option `key` decoded as `type`, or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func option<Value: Decodable>(_ key: String, as type: Value.Type) throws -> Value? {
        guard let value = options[key], !value.isNull else { return nil }
        do {
            return try ConfigValueDecoder().decode(type, from: value, codingPath: [.key(key)])
        } catch let error as ConfigDecodingError {
            throw VisBackendError(error, typeName: typeName)
        }
    }

    /// The string option `key` (snake_case, as in MMEngine configs), or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func string(_ key: String) throws -> String? { try option(key, as: String.self) }

    /// The integer option `key`, or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func int(_ key: String) throws -> Int? { try option(key, as: Int.self) }

    /// The boolean option `key`, or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func bool(_ key: String) throws -> Bool? { try option(key, as: Bool.self) }

    /// The numeric option `key`, or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func double(_ key: String) throws -> Double? { try option(key, as: Double.self) }

    /// Throws when the config has keys outside `known` (Python raises `TypeError` for unexpected keyword
    /// arguments; a typo in a config should not pass silently).
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` naming the first unknown key.
    public func rejectUnknownOptions(known: [String]) throws {
        do {
            try _ConfigValueDecoding(value: .dictionary(options), codingPath: [], userInfo: [:]).rejectUnknownKeys(known)
        } catch let error as ConfigDecodingError {
            throw VisBackendError(error, typeName: typeName)
        }
    }

    /// The save directory, which the backend cannot work without.
    ///
    /// - Throws: ``VisBackendError/missingSaveDir(type:)``.
    public func requiredSaveDir() throws -> String {
        guard let saveDir else { throw VisBackendError.missingSaveDir(type: typeName) }
        return saveDir
    }
}

/// Builds backends from configs such as `{"type": "LocalVisBackend", "name": "local", "save_dir": "runs/1"}`
/// (MMEngine's `VISBACKENDS` registry). Users register their own types under their type names.
///
/// ```swift
/// VisBackendRegistry.shared.register("CSVBackend", requiresSaveDir: true) { arguments in
///     try CSVBackend(directory: arguments.requiredSaveDir())
/// }
/// ```
///
/// Thread-safe. The shared registry starts with the library's backends (``builtInTypeNames``).
public final class VisBackendRegistry: Sendable {
    /// Makes a backend from build arguments.
    public typealias Factory = @Sendable (VisBackendBuildArguments) throws -> any VisBackend

    private struct Entry {
        var requiresSaveDir: Bool
        var factory: Factory
    }

    private let entries = LockedValue<OrderedDictionary<String, Entry>>([:])

    /// The process-wide registry used by visualizers built from configs.
    public static let shared: VisBackendRegistry = {
        let registry = VisBackendRegistry()
        registry.registerBuiltIns()
        return registry
    }()

    /// The type names every new shared registry starts with.
    public static let builtInTypeNames = [
        "LocalVisBackend", "InMemoryVisBackend", "TensorboardVisBackend", "WandbVisBackend", "MLflowVisBackend",
    ]

    /// Creates an empty registry (``shared`` holds the built-in backends).
    public init() {}

    /// Registers (or replaces) a backend type.
    ///
    /// - Parameters:
    ///   - typeName: The `type` value in configs, by convention the Swift type's name.
    ///   - requiresSaveDir: Whether the backend cannot work without a save directory (MMEngine's skip rule: a
    ///     visualizer drops such a backend with a warning when no `save_dir` is known).
    ///   - factory: Makes the backend; it should validate ``VisBackendBuildArguments/options``.
    public func register(_ typeName: String, requiresSaveDir: Bool, factory: @escaping Factory) {
        entries.withLock { $0[typeName] = Entry(requiresSaveDir: requiresSaveDir, factory: factory) }
    }

    /// The registered type names, in registration order.
    public var typeNames: [String] {
        entries.withLock { Array($0.keys) }
    }

    /// Whether `typeName` needs a save directory; `nil` when it is not registered.
    public func requiresSaveDir(_ typeName: String) -> Bool? {
        entries.withLock { $0[typeName]?.requiresSaveDir }
    }

    /// Builds a backend from a config dictionary.
    ///
    /// `type` selects the factory; `name` is returned (not passed on); `save_dir` in the config wins over
    /// `defaultSaveDir` (and gets no `vis_data` suffix, as in MMEngine).
    ///
    /// - Returns: The backend's name — the config's `name`, else the type name (MMEngine's default) — and the
    ///   backend.
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` for a missing or mistyped `type`, `name`
    ///   or `save_dir`; ``VisBackendError/unknownType(registry:type:known:)``;
    ///   ``VisBackendError/missingSaveDir(type:)`` when the type requires a save directory and none is known;
    ///   whatever the factory throws.
    public func build(
        _ config: OrderedDictionary<String, ConfigValue>, defaultSaveDir: String? = nil, logger: Logger? = nil,
        errorHandler: VisBackendErrorHandler? = nil
    ) throws -> (name: String, backend: any VisBackend) {
        let header: _BackendConfigHeader
        do {
            header = try ConfigValueDecoder().decode(_BackendConfigHeader.self, from: .dictionary(config))
        } catch let error as ConfigDecodingError {
            throw VisBackendError(error)
        }
        let typeName = header.type
        var options = config
        for key in _BackendConfigHeader.CodingKeys.allCases { options.removeValue(forKey: key.rawValue) }
        let saveDir = header.saveDir ?? defaultSaveDir
        let (entry, known) = entries.withLock { ($0[typeName], Array($0.keys)) }
        guard let entry else {
            throw VisBackendError.unknownType(registry: "VisBackendRegistry", type: typeName, known: known)
        }
        if entry.requiresSaveDir && saveDir == nil { throw VisBackendError.missingSaveDir(type: typeName) }
        let arguments = VisBackendBuildArguments(
            typeName: typeName, saveDir: saveDir, options: options, logger: logger, errorHandler: errorHandler)
        return (header.name ?? typeName, try entry.factory(arguments))
    }

    /// Builds a backend from a ``Config`` (its top-level entries are the backend's config).
    public func build(_ config: Config, defaultSaveDir: String? = nil) throws -> (name: String, backend: any VisBackend) {
        try build(config.values, defaultSaveDir: defaultSaveDir)
    }

    private func registerBuiltIns() {
        register("LocalVisBackend", requiresSaveDir: true) { arguments in
            let options = try arguments.decodeOptions(_LocalVisBackendOptions.self)
            return try LocalVisBackend(
                saveDir: arguments.requiredSaveDir(), imgSaveDir: options.imgSaveDir ?? "vis_image",
                configSaveFile: options.configSaveFile, scalarSaveFile: options.scalarSaveFile ?? "scalars.json",
                pngCompressionLevel: options.pngCompressionLevel, logger: arguments.logger,
                errorHandler: arguments.errorHandler)
        }
        register("InMemoryVisBackend", requiresSaveDir: false) { arguments in
            try arguments.rejectUnknownOptions(known: [])
            return InMemoryVisBackend(saveDir: arguments.saveDir)
        }
        registerTensorboard()
        registerWandb()
        registerMLflow()
    }
}

/// The keys of a backend config the registry reads itself; the rest are the backend's options.
struct _BackendConfigHeader: Decodable {
    var type: String
    var name: String?
    var saveDir: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, name, saveDir = "save_dir"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type, whenMissing: "a backend type name")
        name = try container.decodeIfPresent(String.self, forKey: .name)
        if name?.isEmpty == true {
            throw ConfigDecodingError(
                .invalidValue, codingPath: decoder.codingPath + [CodingKeys.name], expected: "a non-empty string",
                actual: "\"\"")
        }
        saveDir = try container.decodeIfPresent(String.self, forKey: .saveDir, expecting: "a directory path string")
    }
}

/// The config options of ``LocalVisBackend`` (MMEngine's argument names).
struct _LocalVisBackendOptions: Decodable {
    var imgSaveDir: String?
    var configSaveFile: String?
    var scalarSaveFile: String?
    var pngCompressionLevel: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case imgSaveDir = "img_save_dir", configSaveFile = "config_save_file", scalarSaveFile = "scalar_save_file"
        case pngCompressionLevel = "png_compression_level"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        imgSaveDir = try container.decodeIfPresent(String.self, forKey: .imgSaveDir)
        configSaveFile = try container.decodeIfPresent(String.self, forKey: .configSaveFile)
        scalarSaveFile = try container.decodeIfPresent(String.self, forKey: .scalarSaveFile)
        pngCompressionLevel = try container.decodeIfPresent(Int.self, forKey: .pngCompressionLevel)
    }
}

extension VisBackendError {
    /// The registry's form of a config decoding error: ``configValue(key:expected:actual:)`` with the key path;
    /// an unknown key of a backend's options says which backend (`one of img_save_dir, ... for LocalVisBackend`).
    init(_ error: ConfigDecodingError, typeName: String? = nil) {
        switch error.kind {
        case .unknownKey:
            self = .configValue(
                key: error.keyPath, expected: error.expected + (typeName.map { " for \($0)" } ?? ""),
                actual: "an unknown option")
        case .typeMismatch, .missing, .invalidValue:
            self = .configValue(key: error.keyPath, expected: error.expected, actual: error.actual)
        }
    }
}
