import Foundation
import OrderedCollections

/// A training or experiment configuration: an ordered tree of dictionaries, arrays, strings, numbers, bools and
/// nulls, loaded from JSON or YAML and dumped back in either.
///
/// The Swift counterpart of MMEngine's `Config` for what backends need: storing it (``LocalVisBackend`` writes
/// it beside the scalars, in the format it was loaded from), reading nested keys with dots, and flattening it for
/// backends that store flat parameters (MLflow).
///
/// ```swift
/// var config = try Config(contentsOfFile: "train.yaml")
/// let depth = config["model.backbone.depth"]          // .int(50)
/// config["optimizer.lr"] = 0.01
/// let params = config.flattened()                     // ["model.backbone.depth": 50, ...]
/// ```
///
/// MMEngine's Python config files (`.py`, with `_base_` inheritance and code) are out of scope: load a config
/// dumped to JSON or YAML (`cfg.dump('config.yaml')` in MMEngine) instead.
public struct Config: Sendable, Hashable {
    /// The text formats a config is read from and written to.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// JSON (`.json`).
        case json
        /// YAML 1.1 as read by Yams (`.yaml`, `.yml`).
        case yaml

        /// The usual file extension, without the dot.
        public var fileExtension: String { rawValue }

        /// The format of a file name by its extension (`.json`, `.yaml`, `.yml`), or `nil`.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "json": self = .json
            case "yaml", "yml": self = .yaml
            default: return nil
            }
        }
    }

    /// The top-level entries, in order.
    public var values: OrderedDictionary<String, ConfigValue>

    /// The format the config was loaded from; configs built in code say `.json`. Backends that save a config
    /// write it in this format.
    public var sourceFormat: Format

    /// Creates a config from top-level entries.
    public init(_ values: OrderedDictionary<String, ConfigValue> = [:], sourceFormat: Format = .json) {
        self.values = values
        self.sourceFormat = sourceFormat
    }

    /// Loads a `.json`, `.yaml` or `.yml` file.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for another extension,
    ///   ``VisBackendError/io(path:reason:)`` when the file cannot be read, and
    ///   ``VisBackendError/corruptConfig(source:line:reason:)`` (naming the file and line) when it does not parse
    ///   or its top level is not a mapping.
    public init(contentsOfFile path: String) throws {
        guard let format = Format(path: path) else {
            throw VisBackendError.invalidArgument(
                argument: "path", expected: "a config file ending in .json, .yaml or .yml (Python .py configs are "
                    + "not supported; dump them to YAML or JSON first)", actual: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw VisBackendError.io(path: path, reason: Config.systemMessage(error))
        }
        try self.init(text: String(decoding: data, as: UTF8.self), format: format, source: path)
    }

    /// Parses config text.
    ///
    /// - Parameters:
    ///   - text: The config's text.
    ///   - format: JSON or YAML.
    ///   - source: The name used in error messages (a path, or `"<string>"`).
    /// - Throws: ``VisBackendError/corruptConfig(source:line:reason:)``.
    public init(text: String, format: Format, source: String = "<string>") throws {
        let root: ConfigValue
        switch format {
        case .json: root = try ConfigJSON.parse(text, source: source)
        case .yaml: root = try ConfigYAML.parse(text, source: source)
        }
        switch root {
        case .dictionary(let values): self.init(values, sourceFormat: format)
        case .null: self.init([:], sourceFormat: format)
        default:
            throw VisBackendError.corruptConfig(
                source: source, line: 1, reason: "expected a mapping at the top level, found \(root.kindDescription)")
        }
    }

    /// The config as one value.
    public var root: ConfigValue { .dictionary(values) }

    /// The text of the config in `format` (JSON with 4-space indentation, or block-style YAML).
    public func dumped(as format: Format) throws -> String {
        switch format {
        case .json:
            var output: [UInt8] = []
            ConfigJSON.write(root, indent: 4, level: 0, to: &output)
            output.append(UInt8(ascii: "\n"))
            return String(decoding: output, as: UTF8.self)
        case .yaml:
            return try ConfigYAML.dump(root)
        }
    }

    /// The text of the config in its ``sourceFormat``.
    public func dumped() throws -> String { try dumped(as: sourceFormat) }

    static func systemMessage(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}

extension Config: ExpressibleByDictionaryLiteral {
    /// Builds a config from literal entries; a repeated key keeps its first position and its last value.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        var values = OrderedDictionary<String, ConfigValue>()
        for (key, value) in elements { values[key] = value }
        self.init(values)
    }
}

// MARK: - Dotted keys and flattening

extension Config {
    /// The value at a dotted path (`"model.backbone.depth"`); a component that is a number indexes an array
    /// (`"stages.0.depth"`). `nil` when any component is missing. Setting creates missing dictionaries and
    /// replaces non-dictionary values on the way; setting `nil` removes the entry.
    public subscript(dottedKey: String) -> ConfigValue? {
        get {
            var current: ConfigValue = root
            for component in dottedKey.split(separator: ".", omittingEmptySubsequences: false) {
                switch current {
                case .dictionary(let entries):
                    guard let next = entries[String(component)] else { return nil }
                    current = next
                case .array(let elements):
                    guard let index = Int(component), elements.indices.contains(index) else { return nil }
                    current = elements[index]
                default:
                    return nil
                }
            }
            return current
        }
        set {
            let components = dottedKey.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var top = root
            Config.set(newValue, at: components[...], in: &top)
            values = top.dictionaryValue ?? [:]
        }
    }

    private static func set(_ value: ConfigValue?, at path: ArraySlice<String>, in node: inout ConfigValue) {
        guard let key = path.first else { return }
        let rest = path.dropFirst()
        if case .array(var elements) = node, let index = Int(key), elements.indices.contains(index) {
            if rest.isEmpty {
                elements[index] = value ?? .null
            } else {
                Config.set(value, at: rest, in: &elements[index])
            }
            node = .array(elements)
            return
        }
        var entries = node.dictionaryValue ?? [:]
        if rest.isEmpty {
            entries[key] = value
        } else {
            var child = entries[key] ?? .dictionary([:])
            if child.dictionaryValue == nil && child.arrayValue == nil { child = .dictionary([:]) }
            Config.set(value, at: rest, in: &child)
            entries[key] = child
        }
        node = .dictionary(entries)
    }

    /// The leaves of the tree keyed by their dotted paths, in order (`["model.backbone.depth": 50]`), for backends
    /// that store flat parameters.
    ///
    /// Follows MMEngine's MLflow flattening: nested dictionaries are joined with `separator`; an array that holds
    /// dictionaries is expanded with element indices (`"stages.0.depth"`); any other array is one leaf.
    public func flattened(separator: String = ".") -> OrderedDictionary<String, ConfigValue> {
        var output = OrderedDictionary<String, ConfigValue>()
        Config.flatten(values, prefix: "", separator: separator, into: &output)
        return output
    }

    private static func flatten(
        _ entries: OrderedDictionary<String, ConfigValue>, prefix: String, separator: String,
        into output: inout OrderedDictionary<String, ConfigValue>
    ) {
        for (key, value) in entries {
            let path = prefix.isEmpty ? key : prefix + separator + key
            flattenValue(value, path: path, separator: separator, into: &output)
        }
    }

    private static func flattenValue(
        _ value: ConfigValue, path: String, separator: String, into output: inout OrderedDictionary<String, ConfigValue>
    ) {
        switch value {
        case .dictionary(let entries):
            flatten(entries, prefix: path, separator: separator, into: &output)
        case .array(let elements) where elements.contains(where: { $0.dictionaryValue != nil }):
            for (index, element) in elements.enumerated() {
                flattenValue(element, path: path + separator + String(index), separator: separator, into: &output)
            }
        default:
            output[path] = value
        }
    }
}
