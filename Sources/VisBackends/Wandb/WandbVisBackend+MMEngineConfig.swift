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
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` or
    ///   ``VisBackendError/configValue(key:expected:actual:)`` naming the offending `init_kwargs` entry, and the
    ///   errors of ``WandbMetricDefinition/definitions(fromMMEngineConfig:)``.
    public convenience init(
        saveDir: String, initKwargs: ConfigValue?, defineMetricConfig: ConfigValue? = nil, commit: Bool = true,
        logger: Logger? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) throws(VisBackendError) {
        let arguments: OrderedDictionary<String, ConfigValue>
        switch initKwargs {
        case nil, .null?: arguments = [:]
        case .dictionary(let entries)?: arguments = entries
        case let other?:
            throw .invalidArgument(
                argument: "init_kwargs", expected: "a dictionary of wandb.init arguments", actual: other.kindDescription
            )
        }
        func string(_ key: String) throws(VisBackendError) -> String? {
            guard let value = arguments[key], !value.isNull else { return nil }
            guard let text = value.stringValue else {
                throw .configValue(key: "init_kwargs.\(key)", expected: "a string", actual: value.kindDescription)
            }
            return text
        }
        let supported: Set<String> = [
            "project", "entity", "name", "group", "job_type", "notes", "tags", "config", "id", "allow_val_change",
            "dir",
        ]
        let log = logger ?? Logger(label: "VisBackends.WandbVisBackend")
        for key in arguments.keys where !supported.contains(key) {
            guard Self.ignoredInitArguments.contains(key) else {
                throw .invalidArgument(
                    argument: "init_kwargs.\(key)",
                    expected: "one of \((supported.union(Self.ignoredInitArguments)).sorted().joined(separator: ", "))",
                    actual: key)
            }
            log.warning("WandbVisBackend: init_kwargs.\(key) has no effect on an offline run written natively; ignored")
        }
        var tags: [String] = []
        if let value = arguments["tags"], !value.isNull {
            let elements = value.arrayValue ?? []
            tags = elements.compactMap(\.stringValue)
            guard value.arrayValue != nil, tags.count == elements.count else {
                throw .configValue(key: "init_kwargs.tags", expected: "a list of strings", actual: value.description)
            }
        }
        var config = Config([:])
        if let value = arguments["config"], !value.isNull {
            guard let entries = value.dictionaryValue else {
                throw .configValue(key: "init_kwargs.config", expected: "a dictionary", actual: value.kindDescription)
            }
            config = Config(entries)
        }
        var allowValueChange = false
        if let value = arguments["allow_val_change"], !value.isNull {
            guard let flag = value.boolValue else {
                throw .configValue(
                    key: "init_kwargs.allow_val_change", expected: "true or false", actual: value.kindDescription)
            }
            allowValueChange = flag
        }
        try self.init(
            saveDir: try string("dir") ?? saveDir, project: try string("project"), entity: try string("entity"),
            name: try string("name"), config: config, tags: tags, group: try string("group"),
            jobType: try string("job_type"), notes: try string("notes"), id: try string("id"),
            allowValueChange: allowValueChange,
            defineMetrics: try WandbMetricDefinition.definitions(fromMMEngineConfig: defineMetricConfig ?? .null),
            commit: commit, logger: logger, errorHandler: errorHandler)
    }
}

extension VisBackendRegistry {
    /// Registers ``WandbVisBackend`` under its type name, built from MMEngine's options `init_kwargs`,
    /// `define_metric_cfg` and `commit`.
    func registerWandb() {
        register("WandbVisBackend", requiresSaveDir: true) { arguments in
            try arguments.rejectUnknownOptions(known: ["init_kwargs", "define_metric_cfg", "commit"])
            return try WandbVisBackend(
                saveDir: arguments.requiredSaveDir(), initKwargs: arguments.options["init_kwargs"],
                defineMetricConfig: arguments.options["define_metric_cfg"], commit: arguments.bool("commit") ?? true,
                logger: arguments.logger, errorHandler: arguments.errorHandler)
        }
    }
}
