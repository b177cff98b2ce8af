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
        do {
            self = try ConfigValueDecoder().decode(DatasetMeta.self, from: configValue)
        } catch let error as ConfigDecodingError {
            throw DataSampleError(error, root: "dataset_meta")
        }
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

    /// A palette name of the config form.
    private static func _palette(named name: String, codingPath: [any CodingKey]) throws -> ColorPalette {
        switch name {
        case "coco": return .coco
        case "tab10": return .tab10
        case "tab20": return .tab20
        case "random": return _randomPalette
        default:
            throw ConfigDecodingError(
                .invalidValue, codingPath: codingPath, expected: "coco, tab10, tab20, random or an array of colours",
                actual: "\"\(name)\"")
        }
    }
}

extension DatasetMeta: Codable {
    private enum _Keys: String, CodingKey {
        case classes, legacyClasses = "CLASSES", palette, legacyPalette = "PALETTE", keypointNames = "keypoint_names"
        case skeletonLinks = "skeleton_links", keypointColors = "keypoint_colors"
        case skeletonLinkColors = "skeleton_link_colors"
    }

    /// One `[from, to]` pair of `skeleton_links`.
    private struct _Link: Decodable {
        let link: SkeletonLink

        init(from decoder: any Decoder) throws {
            let value = try ConfigValue(from: decoder)
            guard let pair = value.arrayValue, pair.count == 2, let from = pair[0].intValue, let to = pair[1].intValue,
                from >= 0, to >= 0
            else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: decoder.codingPath, expected: "two non-negative keypoint indices [from, to]",
                    actual: value.description)
            }
            link = SkeletonLink(from, to)
        }
    }

    /// Decodes the config form (see ``DatasetMeta``) from a `ConfigValueDecoder`, JSON or any `Codable` format;
    /// other keys (`sigmas`, ...) are ignored.
    ///
    /// - Throws: Decoding errors naming the key path (`ConfigDecodingError` from a `ConfigValueDecoder`), and
    ///   the errors of ``validate()``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: _Keys.self)
        func either(_ key: _Keys, _ legacy: _Keys) -> _Keys { container.contains(key) ? key : legacy }
        let names = "an array of names"
        let colors = "an array of colours ([r, g, b] or colour names)"
        self.init()
        classes = try container.decodeIfPresent([String].self, forKey: either(.classes, .legacyClasses), expecting: names)
            ?? []
        let paletteKey = either(.palette, .legacyPalette)
        if case .string(let name)? = try container.decodeIfPresent(ConfigValue.self, forKey: paletteKey) {
            palette = try Self._palette(named: name, codingPath: container.codingPath + [paletteKey])
        } else if let entries = try container.decodeIfPresent([Color].self, forKey: paletteKey, expecting: colors) {
            guard !entries.isEmpty else {
                throw ConfigDecodingError(
                    .invalidValue, codingPath: container.codingPath + [paletteKey], expected: "at least one colour",
                    actual: "an empty array")
            }
            palette = try ColorPalette(colors: entries)
        }
        keypointNames = try container.decodeIfPresent([String].self, forKey: .keypointNames, expecting: names) ?? []
        skeletonLinks = try container.decodeIfPresent(
            [_Link].self, forKey: .skeletonLinks, expecting: "an array of [from, to] keypoint index pairs"
        )?.map(\.link) ?? []
        keypointColors = try container.decodeIfPresent([Color].self, forKey: .keypointColors, expecting: colors) ?? []
        skeletonLinkColors = try container.decodeIfPresent([Color].self, forKey: .skeletonLinkColors, expecting: colors)
            ?? []
        try validate()
    }

    /// Encodes ``configValue``.
    public func encode(to encoder: any Encoder) throws {
        try configValue.encode(to: encoder)
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
