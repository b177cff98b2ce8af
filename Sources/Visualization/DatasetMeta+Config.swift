import Foundation
import VisBackends
import VisCore

/// Reading and writing the config form (the one ``Visualizer/datasetMeta`` holds, and JSON/YAML files).
extension DatasetMeta {
    /// Reads the config form (see ``DatasetMeta``). `CLASSES` and `PALETTE`, MMDetection 2.x's spellings, are
    /// accepted too.
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming the key for a value of the wrong
    ///   form (a class name that is not a string, an unknown palette name, a link that is not two indices, a
    ///   link to a keypoint beyond `keypoint_names`).
    public init(configValue: ConfigValue) throws {
        guard let entries = configValue.dictionaryValue else {
            throw DataSampleError.invalidField(
                field: "dataset_meta", expected: "a dictionary such as {\"classes\": [...]}",
                actual: configValue.kindDescription)
        }
        self.init()
        if let value = entries["classes"] ?? entries["CLASSES"] {
            classes = try Self._strings(value, field: "classes")
        }
        if let value = entries["palette"] ?? entries["PALETTE"], !value.isNull {
            palette = try Self._palette(value)
        }
        if let value = entries["keypoint_names"] {
            keypointNames = try Self._strings(value, field: "keypoint_names")
        }
        if let value = entries["skeleton_links"] {
            guard let links = value.arrayValue else {
                throw DataSampleError.invalidField(
                    field: "skeleton_links", expected: "an array of [from, to] keypoint index pairs",
                    actual: value.kindDescription)
            }
            skeletonLinks = try links.enumerated().map { index, link in
                guard let pair = link.arrayValue, pair.count == 2, let from = pair[0].intValue,
                    let to = pair[1].intValue, from >= 0, to >= 0
                else {
                    throw DataSampleError.invalidField(
                        field: "skeleton_links[\(index)]", expected: "two non-negative keypoint indices [from, to]",
                        actual: link.description)
                }
                return SkeletonLink(from, to)
            }
        }
        if let value = entries["keypoint_colors"] {
            keypointColors = try Self._colors(value, field: "keypoint_colors")
        }
        if let value = entries["skeleton_link_colors"] {
            skeletonLinkColors = try Self._colors(value, field: "skeleton_link_colors")
        }
        try validate()
    }

    /// Reads a JSON or YAML file of the config form (the format follows the extension: `.json`, `.yaml`, `.yml`).
    ///
    /// - Throws: ``DataSampleError/unreadableFile(path:reason:)`` when the file cannot be read or parsed, and the
    ///   errors of ``init(configValue:)``.
    public init(contentsOfFile path: String) throws {
        let config: Config
        do {
            config = try Config(contentsOfFile: path)
        } catch {
            throw DataSampleError.unreadableFile(path: path, reason: "\(error)")
        }
        try self.init(configValue: config.root)
    }

    /// The config form, with only the keys that are set (palettes as arrays of `[r, g, b]`).
    public var configValue: ConfigValue {
        func rgb(_ color: Color) -> ConfigValue {
            .array([.int(Int(color.red)), .int(Int(color.green)), .int(Int(color.blue))])
        }
        var entries = OrderedDictionary<String, ConfigValue>()
        if !classes.isEmpty { entries["classes"] = .array(classes.map { .string($0) }) }
        if let palette { entries["palette"] = .array(palette.colors.map(rgb)) }
        if !keypointNames.isEmpty { entries["keypoint_names"] = .array(keypointNames.map { .string($0) }) }
        if !skeletonLinks.isEmpty {
            entries["skeleton_links"] = .array(skeletonLinks.map { .array([.int($0.from), .int($0.to)]) })
        }
        if !keypointColors.isEmpty { entries["keypoint_colors"] = .array(keypointColors.map(rgb)) }
        if !skeletonLinkColors.isEmpty { entries["skeleton_link_colors"] = .array(skeletonLinkColors.map(rgb)) }
        return .dictionary(entries)
    }

    /// Checks that skeleton links join keypoints that exist (when ``keypointNames`` is set).
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming the link.
    public func validate() throws {
        guard !keypointNames.isEmpty else { return }
        for (index, link) in skeletonLinks.enumerated()
        where !keypointNames.indices.contains(link.from) || !keypointNames.indices.contains(link.to) {
            throw DataSampleError.invalidField(
                field: "skeleton_links[\(index)]",
                expected: "keypoint indices in 0..<\(keypointNames.count) (the keypoint_names)",
                actual: "[\(link.from), \(link.to)]")
        }
    }

    private static func _strings(_ value: ConfigValue, field: String) throws -> [String] {
        guard let elements = value.arrayValue else {
            throw DataSampleError.invalidField(field: field, expected: "an array of names", actual: value.kindDescription)
        }
        return try elements.enumerated().map { index, element in
            guard let text = element.stringValue else {
                throw DataSampleError.invalidField(
                    field: "\(field)[\(index)]", expected: "a string", actual: element.kindDescription)
            }
            return text
        }
    }

    private static func _colors(_ value: ConfigValue, field: String) throws -> [Color] {
        guard let elements = value.arrayValue else {
            throw DataSampleError.invalidField(
                field: field, expected: "an array of colours ([r, g, b] or colour names)", actual: value.kindDescription)
        }
        return try elements.enumerated().map { index, element in try _parseColor(element, field: "\(field)[\(index)]") }
    }

    private static func _palette(_ value: ConfigValue) throws -> ColorPalette {
        if let name = value.stringValue {
            switch name {
            case "coco": return .coco
            case "tab10": return .tab10
            case "tab20": return .tab20
            case "random": return _randomPalette
            default:
                throw DataSampleError.invalidField(
                    field: "palette", expected: "coco, tab10, tab20, random or an array of colours",
                    actual: "\"\(name)\"")
            }
        }
        let colors = try _colors(value, field: "palette")
        guard !colors.isEmpty else {
            throw DataSampleError.invalidField(field: "palette", expected: "at least one colour", actual: "an empty array")
        }
        return try ColorPalette(colors: colors)
    }
}

extension DatasetMeta: Codable {
    /// Decodes the config form from JSON (or any `Codable` format).
    ///
    /// - Throws: The errors of ``init(configValue:)``.
    public init(from decoder: any Decoder) throws {
        try self.init(configValue: try _CodableConfigValue(from: decoder).value)
    }

    /// Encodes ``configValue``.
    public func encode(to encoder: any Encoder) throws {
        try _CodableConfigValue(configValue).encode(to: encoder)
    }
}

extension Visualizer {
    /// Sets ``datasetMeta`` from typed metadata (its ``DatasetMeta/configValue``).
    @discardableResult
    public func setDatasetMeta(_ meta: DatasetMeta) -> Visualizer {
        datasetMeta = meta.configValue
        return self
    }

    /// ``datasetMeta`` read as ``DatasetMeta`` (empty metadata when none is set).
    ///
    /// - Throws: The errors of ``DatasetMeta/init(configValue:)`` for a malformed dictionary.
    public func typedDatasetMeta() throws -> DatasetMeta {
        guard let value = datasetMeta, !value.isNull else { return DatasetMeta() }
        return try DatasetMeta(configValue: value)
    }
}

/// A colour from the config form: a colour string (`"red"`, `"#ff8000"`, `"tab:blue"`) or `[r, g, b]` /
/// `[r, g, b, a]` on the 0-255 scale.
///
/// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `field`.
func _parseColor(_ value: ConfigValue, field: String) throws -> Color {
    do {
        if let text = value.stringValue { return try Color(parsing: text, argument: field) }
        if let channels = value.arrayValue {
            let numbers = channels.compactMap(\.doubleValue)
            if numbers.count == channels.count { return try Color(rgbTuple: numbers, argument: field) }
        }
    } catch let error as VisCoreError {
        throw DataSampleError.invalidField(
            field: field, expected: "a colour ([r, g, b] in 0...255 or a name)", actual: error.description)
    }
    throw DataSampleError.invalidField(
        field: field, expected: "a colour ([r, g, b] in 0...255 or a name)", actual: value.description)
}
