import VisBackends

/// The keys ``Visualizer/init(config:rank:registry:logger:warningHandler:errorHandler:)`` reads: MMEngine's
/// `Visualizer` arguments (`fig_save_cfg` and `fig_show_cfg` are accepted and ignored: there is no figure).
struct _VisualizerConfig: Decodable {
    var name: String?
    var saveDir: String?
    /// The backend configs, in order (`vis_backends` may be one dictionary or an array of them).
    var backends: [OrderedDictionary<String, ConfigValue>] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, name, visBackends = "vis_backends", saveDir = "save_dir", figSaveConfig = "fig_save_cfg"
        case figShowConfig = "fig_show_cfg"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        saveDir = try container.decodeIfPresent(String.self, forKey: .saveDir, expecting: "a directory path string")
        switch try container.decodeIfPresent(ConfigValue.self, forKey: .visBackends) {
        case nil:
            break
        case .dictionary(let entries)?:
            backends = [entries]
        case .array?:
            let elements = try container.decode([_BackendConfig].self, forKey: .visBackends)
            backends = elements.map(\.entries)
        case let other?:
            throw ConfigDecodingError(
                .typeMismatch, codingPath: container.codingPath + [CodingKeys.visBackends],
                expected: "a backend config dictionary or an array of them", actual: other.kindDescription)
        }
    }

    /// One backend config dictionary, kept as is for ``VisBackendRegistry``.
    struct _BackendConfig: Decodable {
        var entries: OrderedDictionary<String, ConfigValue>

        init(from decoder: any Decoder) throws {
            let value = try ConfigValue(from: decoder)
            guard let entries = value.dictionaryValue else {
                throw ConfigDecodingError(
                    .typeMismatch, codingPath: decoder.codingPath, expected: "a backend config dictionary",
                    actual: value.kindDescription)
            }
            self.entries = entries
        }
    }
}

/// The keys ``VisualizerRegistry/build(_:)`` reads before choosing a factory.
struct _VisualizerConfigHeader: Decodable {
    var type: String
    var name: String

    enum CodingKeys: String, CodingKey {
        case type, name
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type, whenMissing: "a visualizer type name")
        name = try container.decode(
            String.self, forKey: .name, whenMissing: "the instance name (visualizers are built through getInstance)")
        guard !name.isEmpty else {
            throw ConfigDecodingError(
                .invalidValue, codingPath: container.codingPath + [CodingKeys.name], expected: "a non-empty string",
                actual: "\"\"")
        }
    }
}

extension VisualizerError {
    /// A config decoding error as ``configValue(key:expected:actual:)``, keyed by its key path.
    init(_ error: ConfigDecodingError) {
        self = .configValue(key: error.keyPath, expected: error.expected, actual: error.actual)
    }
}
