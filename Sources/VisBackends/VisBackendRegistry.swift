import Foundation
import Logging
import OrderedCollections

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

    /// The string option `key` (snake_case, as in MMEngine configs), or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func string(_ key: String) throws -> String? {
        guard let value = options[key], !value.isNull else { return nil }
        guard let text = value.stringValue else {
            throw VisBackendError.configValue(key: key, expected: "a string", actual: value.kindDescription)
        }
        return text
    }

    /// The integer option `key`, or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func int(_ key: String) throws -> Int? {
        guard let value = options[key], !value.isNull else { return nil }
        guard let number = value.intValue else {
            throw VisBackendError.configValue(key: key, expected: "an integer", actual: value.kindDescription)
        }
        return number
    }

    /// The boolean option `key`, or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func bool(_ key: String) throws -> Bool? {
        guard let value = options[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else {
            throw VisBackendError.configValue(key: key, expected: "true or false", actual: value.kindDescription)
        }
        return flag
    }

    /// The numeric option `key`, or `nil` when absent or `null`.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when present with another type.
    public func double(_ key: String) throws -> Double? {
        guard let value = options[key], !value.isNull else { return nil }
        guard let number = value.doubleValue else {
            throw VisBackendError.configValue(key: key, expected: "a number", actual: value.kindDescription)
        }
        return number
    }

    /// Throws when the config has keys outside `known` (Python raises `TypeError` for unexpected keyword
    /// arguments; a typo in a config should not pass silently).
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` naming the first unknown key.
    public func rejectUnknownOptions(known: [String]) throws {
        if let unknown = options.keys.first(where: { !known.contains($0) }) {
            throw VisBackendError.configValue(
                key: unknown, expected: "one of \(known.isEmpty ? "no options" : known.joined(separator: ", ")) "
                    + "for \(typeName)", actual: "an unknown option")
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
public final class VisBackendRegistry: @unchecked Sendable {
    /// Makes a backend from build arguments.
    public typealias Factory = @Sendable (VisBackendBuildArguments) throws -> any VisBackend

    private struct Entry {
        var requiresSaveDir: Bool
        var factory: Factory
    }

    private let lock = NSLock()
    private var entries: OrderedDictionary<String, Entry> = [:]

    /// The process-wide registry used by visualizers built from configs.
    public static let shared: VisBackendRegistry = {
        let registry = VisBackendRegistry()
        registry.registerBuiltIns()
        return registry
    }()

    /// The type names every new shared registry starts with.
    public static let builtInTypeNames = [
        "LocalVisBackend", "InMemoryVisBackend", "TensorboardVisBackend", "WandbVisBackend",
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
        lock.lock()
        defer { lock.unlock() }
        entries[typeName] = Entry(requiresSaveDir: requiresSaveDir, factory: factory)
    }

    /// The registered type names, in registration order.
    public var typeNames: [String] {
        lock.lock()
        defer { lock.unlock() }
        return Array(entries.keys)
    }

    /// Whether `typeName` needs a save directory; `nil` when it is not registered.
    public func requiresSaveDir(_ typeName: String) -> Bool? {
        lock.lock()
        defer { lock.unlock() }
        return entries[typeName]?.requiresSaveDir
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
        var options = config
        guard let typeValue = options.removeValue(forKey: "type") else {
            throw VisBackendError.configValue(key: "type", expected: "a backend type name", actual: "nothing")
        }
        guard let typeName = typeValue.stringValue else {
            throw VisBackendError.configValue(key: "type", expected: "a string", actual: typeValue.kindDescription)
        }
        var name: String?
        if let nameValue = options.removeValue(forKey: "name"), !nameValue.isNull {
            guard let text = nameValue.stringValue, !text.isEmpty else {
                throw VisBackendError.configValue(
                    key: "name", expected: "a non-empty string", actual: nameValue.kindDescription)
            }
            name = text
        }
        var saveDir = defaultSaveDir
        if let saveDirValue = options.removeValue(forKey: "save_dir"), !saveDirValue.isNull {
            guard let text = saveDirValue.stringValue else {
                throw VisBackendError.configValue(
                    key: "save_dir", expected: "a directory path string", actual: saveDirValue.kindDescription)
            }
            saveDir = text
        }
        lock.lock()
        let entry = entries[typeName]
        let known = Array(entries.keys)
        lock.unlock()
        guard let entry else {
            throw VisBackendError.unknownType(registry: "VisBackendRegistry", type: typeName, known: known)
        }
        if entry.requiresSaveDir && saveDir == nil { throw VisBackendError.missingSaveDir(type: typeName) }
        let arguments = VisBackendBuildArguments(
            typeName: typeName, saveDir: saveDir, options: options, logger: logger, errorHandler: errorHandler)
        return (name ?? typeName, try entry.factory(arguments))
    }

    /// Builds a backend from a ``Config`` (its top-level entries are the backend's config).
    public func build(_ config: Config, defaultSaveDir: String? = nil) throws -> (name: String, backend: any VisBackend) {
        try build(config.values, defaultSaveDir: defaultSaveDir)
    }

    private func registerBuiltIns() {
        register("LocalVisBackend", requiresSaveDir: true) { arguments in
            try arguments.rejectUnknownOptions(
                known: ["img_save_dir", "config_save_file", "scalar_save_file", "png_compression_level"])
            return try LocalVisBackend(
                saveDir: arguments.requiredSaveDir(),
                imgSaveDir: arguments.string("img_save_dir") ?? "vis_image",
                configSaveFile: arguments.string("config_save_file"),
                scalarSaveFile: arguments.string("scalar_save_file") ?? "scalars.json",
                pngCompressionLevel: arguments.int("png_compression_level"),
                logger: arguments.logger, errorHandler: arguments.errorHandler)
        }
        register("InMemoryVisBackend", requiresSaveDir: false) { arguments in
            try arguments.rejectUnknownOptions(known: [])
            return InMemoryVisBackend(saveDir: arguments.saveDir)
        }
        registerTensorboard()
        registerWandb()
    }
}
