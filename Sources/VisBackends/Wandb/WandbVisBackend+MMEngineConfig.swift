import Logging
import OrderedCollections

extension WandbVisBackend {
    /// The `wandb.init` arguments that have no effect on a natively written offline run; they are accepted
    /// (and ignored with a warning) so that MMEngine configs work unchanged.
    static let ignoredInitArguments: Set<String> = [
        "mode", "reinit", "save_code", "settings", "anonymous", "force", "sync_tensorboard", "monitor_gym", "resume",
    ]

    /// Builds the backend from MMEngine's config entry
    /// `dict(type='WandbVisBackend', save_dir=..., init_kwargs=..., define_metric_cfg=..., commit=...)`.
    ///
    /// `init_kwargs` may hold `project`, `entity`, `name`, `group`, `job_type`, `notes`, `tags`, `config`, `id`,
    /// `allow_val_change` and `dir` (which replaces `saveDir`, as in MMEngine); the arguments in
    /// `ignoredInitArguments` are ignored with a warning.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` naming the offending `init_kwargs` entry
    ///   (`init_kwargs.tags[1]`), and the errors of ``WandbMetricDefinition/definitions(fromMMEngineConfig:)``.
    public convenience init(
        saveDir: String, initKwargs: ConfigValue?, defineMetricConfig: ConfigValue? = nil, commit: Bool = true,
        logger: Logger? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) throws(VisBackendError) {
        let arguments: _WandbInitArguments
        do {
            arguments = try ConfigValueDecoder().decode(
                _WandbInitArguments.self, from: initKwargs ?? .null, codingPath: [.key("init_kwargs")])
        } catch let error as ConfigDecodingError {
            throw VisBackendError(error)
        } catch {
            throw .invalidArgument(argument: "init_kwargs", expected: "wandb.init arguments", actual: "\(error)")
        }
        let log = logger ?? Logger(label: "VisBackends.WandbVisBackend")
        for key in arguments.ignored {
            log.warning("WandbVisBackend: init_kwargs.\(key) has no effect on an offline run written natively; ignored")
        }
        try self.init(
            saveDir: arguments.dir ?? saveDir, project: arguments.project, entity: arguments.entity,
            name: arguments.name, config: Config(arguments.config ?? [:]), tags: arguments.tags ?? [],
            group: arguments.group, jobType: arguments.jobType, notes: arguments.notes, id: arguments.id,
            allowValueChange: arguments.allowValueChange ?? false,
            defineMetrics: try WandbMetricDefinition.definitions(fromMMEngineConfig: defineMetricConfig ?? .null),
            commit: commit, logger: logger, errorHandler: errorHandler)
    }
}

/// MMEngine's `init_kwargs` (the arguments of `wandb.init`); `null` means none.
struct _WandbInitArguments: Decodable {
    var project, entity, name, group, jobType, notes, id, dir: String?
    var tags: [String]?
    var config: OrderedDictionary<String, ConfigValue>?
    var allowValueChange: Bool?
    /// The keys of ``WandbVisBackend/ignoredInitArguments`` that were given.
    var ignored: [String] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case project, entity, name, group, jobType = "job_type", notes, tags, config, id
        case allowValueChange = "allow_val_change", dir
    }

    init(from decoder: any Decoder) throws {
        if try decoder.singleValueContainer().decodeNil() { return }
        let supported = CodingKeys.allCases.map(\.rawValue)
        try decoder.rejectUnknownKeys((supported + WandbVisBackend.ignoredInitArguments).sorted())
        let container = try decoder.container(keyedBy: CodingKeys.self)
        project = try container.decodeIfPresent(String.self, forKey: .project)
        entity = try container.decodeIfPresent(String.self, forKey: .entity)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        group = try container.decodeIfPresent(String.self, forKey: .group)
        jobType = try container.decodeIfPresent(String.self, forKey: .jobType)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        dir = try container.decodeIfPresent(String.self, forKey: .dir)
        tags = try container.decodeIfPresent([String].self, forKey: .tags, expecting: "a list of strings")
        config = try container.decodeIfPresent(ConfigValue.self, forKey: .config).map { value in
            guard let entries = value.dictionaryValue else {
                throw ConfigDecodingError(
                    .typeMismatch, codingPath: decoder.codingPath + [CodingKeys.config], expected: "a dictionary",
                    actual: value.kindDescription)
            }
            return entries
        }
        allowValueChange = try container.decodeIfPresent(Bool.self, forKey: .allowValueChange)
        let given = try decoder.container(keyedBy: _ConfigKey.self).allKeys.map(\.stringValue)
        ignored = given.filter { WandbVisBackend.ignoredInitArguments.contains($0) }
    }
}

/// The config options of ``WandbVisBackend``.
struct _WandbOptions: Decodable {
    var initKwargs: ConfigValue?
    var defineMetricConfig: ConfigValue?
    var commit: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case initKwargs = "init_kwargs", defineMetricConfig = "define_metric_cfg", commit
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        initKwargs = try container.decodeIfPresent(ConfigValue.self, forKey: .initKwargs)
        defineMetricConfig = try container.decodeIfPresent(ConfigValue.self, forKey: .defineMetricConfig)
        commit = try container.decodeIfPresent(Bool.self, forKey: .commit)
    }
}

extension VisBackendRegistry {
    /// Registers ``WandbVisBackend`` under its type name, built from MMEngine's options `init_kwargs`,
    /// `define_metric_cfg` and `commit`.
    func registerWandb() {
        register("WandbVisBackend", requiresSaveDir: true) { arguments in
            let options = try arguments.decodeOptions(_WandbOptions.self)
            return try WandbVisBackend(
                saveDir: arguments.requiredSaveDir(), initKwargs: options.initKwargs,
                defineMetricConfig: options.defineMetricConfig, commit: options.commit ?? true,
                logger: arguments.logger, errorHandler: arguments.errorHandler)
        }
    }
}
