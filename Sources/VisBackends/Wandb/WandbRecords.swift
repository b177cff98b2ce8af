/// One record of a W&B transaction log: the subset of `wandb_internal.Record` that an offline run needs
/// (field numbers of `wandb/proto/wandb_internal.proto`), in the field-number order the Python protobuf library writes.
///
/// ``WandbRun`` writes these; ``WandbLogReader`` reads them back (record types this package does not model
/// are kept as ``Content/other(field:)``).
public struct WandbRecord: Sendable, Hashable {
    /// The record's sequence number (`num`, field 1), counting from 1 in a file.
    public var number: Int64
    /// The record's payload (the `record_type` oneof).
    public var content: Content

    /// The payloads of the record types this package writes.
    public enum Content: Sendable, Hashable {
        /// `header` (21): the producer's version; a no-op for the sync sender.
        case header(WandbHeaderRecord)
        /// `run` (17): starts the run (the first one) or updates it (tags, config).
        case run(WandbRunRecord)
        /// `history` (2): one row of the history (a step).
        case history(WandbHistoryRecord)
        /// `summary` (3): updates of the run summary.
        case summary(WandbItemsRecord)
        /// `config` (5): updates of the run config.
        case config(WandbItemsRecord)
        /// `files` (6): files under `files/` to upload.
        case files([WandbFileItem])
        /// `metric` (12): a `define_metric` definition.
        case metric(WandbMetricRecord)
        /// `exit` (18): the run ended with this exit code after `runtime` seconds.
        case exit(WandbExitRecord)
        /// A record type this package does not model, by its field number (reader only).
        case other(field: Int)
    }

    /// Creates a record.
    public init(number: Int64, content: Content) {
        self.number = number
        self.content = content
    }
}

/// `HeaderRecord.version_info`.
public struct WandbHeaderRecord: Sendable, Hashable {
    /// The writer's name and version.
    public var producer: String
    /// The oldest reader version the writer expects (not checked by wandb 0.31).
    public var minimumConsumer: String

    /// Creates a header.
    public init(producer: String, minimumConsumer: String = "0.70.0") {
        self.producer = producer
        self.minimumConsumer = minimumConsumer
    }
}

/// An item of a history row, summary or config: a key (or a path of nested keys) and a JSON value.
public struct WandbItem: Sendable, Hashable {
    /// The key (`key`, field 1); empty when ``nestedKey`` is used.
    public var key: String
    /// The path of keys into nested objects (`nested_key`, field 2), e.g. `["_wandb", "runtime"]`.
    public var nestedKey: [String]
    /// The value as JSON text (`value_json`, field 16).
    public var valueJSON: String

    /// An item with a plain key.
    public init(key: String, valueJSON: String) {
        self.key = key
        self.nestedKey = []
        self.valueJSON = valueJSON
    }

    /// An item addressed by a path of nested keys.
    public init(nestedKey: [String], valueJSON: String) {
        self.key = ""
        self.nestedKey = nestedKey
        self.valueJSON = valueJSON
    }

    /// ``key``, or the nested keys joined with `.`.
    public var path: String { key.isEmpty ? nestedKey.joined(separator: ".") : key }
}

/// `RunRecord`: the run's identity, config and tags.
public struct WandbRunRecord: Sendable, Hashable {
    /// The run id (8 characters of `[a-z0-9]` when generated).
    public var runID: String
    /// The W&B entity (user or team); empty means the syncing user's default.
    public var entity: String = ""
    /// The project; empty means W&B's default (`uncategorized`).
    public var project: String = ""
    /// Config entries (`config.update`), top-level keys with JSON values.
    public var config: [WandbItem] = []
    /// The run group.
    public var group: String = ""
    /// The job type.
    public var jobType: String = ""
    /// The display name.
    public var displayName: String = ""
    /// Notes shown with the run.
    public var notes: String = ""
    /// Tags.
    public var tags: [String] = []
    /// The host that ran it.
    public var host: String = ""
    /// The start time as seconds since 1970 (`google.protobuf.Timestamp`); `nil` leaves it out.
    public var startTime: Double?

    /// A run record for `runID`; set the other fields as needed.
    public init(runID: String) {
        self.runID = runID
    }
}

/// `HistoryRecord`: one history row and its step.
public struct WandbHistoryRecord: Sendable, Hashable {
    /// The row's values, including `_step`, `_runtime` and `_timestamp`.
    public var items: [WandbItem]
    /// The step (`step.num`), equal to the row's `_step`.
    public var step: Int64

    /// Creates a row.
    public init(items: [WandbItem], step: Int64) {
        self.items = items
        self.step = step
    }
}

/// `SummaryRecord` / `ConfigRecord`: items to set and items to remove.
public struct WandbItemsRecord: Sendable, Hashable {
    /// Items to set (`update`, field 1).
    public var update: [WandbItem]
    /// Items to remove (`remove`, field 2; only the keys matter).
    public var remove: [WandbItem]

    /// Creates an update.
    public init(update: [WandbItem], remove: [WandbItem] = []) {
        self.update = update
        self.remove = remove
    }
}

/// `FilesItem`: a file under the run's `files/` directory that sync uploads.
public struct WandbFileItem: Sendable, Hashable {
    /// When sync uploads the file (`FilesItem.policy`).
    public enum Policy: Int, Sendable, Hashable {
        /// Upload now.
        case now = 0
        /// Upload at the end of the run.
        case end = 1
        /// Upload as it changes.
        case live = 2
    }

    /// The kind of file (`FilesItem.type`).
    public enum Kind: Int, Sendable, Hashable {
        /// An ordinary file (what the SDK uses for media).
        case other = 0
        /// A file W&B itself writes (`requirements.txt`).
        case wandb = 1
        /// A media file.
        case media = 2
        /// An artifact file.
        case artifact = 3
    }

    /// The path relative to `files/` (`media/images/…png`).
    public var path: String
    /// The upload policy.
    public var policy: Policy
    /// The kind of file.
    public var kind: Kind

    /// Creates a file item.
    public init(path: String, policy: Policy = .now, kind: Kind = .other) {
        self.path = path
        self.policy = policy
        self.kind = kind
    }
}

/// `MetricRecord`: a `define_metric` call.
public struct WandbMetricRecord: Sendable, Hashable {
    /// The metric name (`name`), or empty when ``globName`` is set.
    public var name: String = ""
    /// A pattern such as `val/*` (`glob_name`).
    public var globName: String = ""
    /// The metric used as this metric's x axis.
    public var stepMetric: String = ""
    /// Whether the step metric's last value is added to rows that lack it.
    public var stepSync: Bool = false
    /// Whether the metric is hidden in the UI.
    public var hidden: Bool = false
    /// The summaries kept for the metric.
    public var summary: Set<WandbMetricSummary> = []
    /// Whether lower or higher is better (for the `best` summary).
    public var goal: WandbMetricGoal = .unset

    /// Creates a metric record.
    public init() {}
}

/// A summary aggregation of ``WandbMetricRecord`` (`MetricSummary` fields).
public enum WandbMetricSummary: Int, Sendable, Hashable, CaseIterable, Comparable {
    /// The smallest value.
    case min = 1
    /// The largest value.
    case max = 2
    /// The mean of all values.
    case mean = 3
    /// The best value according to the goal.
    case best = 4
    /// The latest value.
    case last = 5
    /// No summary at all.
    case none = 6
    /// The first value.
    case first = 8

    /// The name W&B uses (`"min"`, …), also the key in the summary object.
    public var name: String {
        switch self {
        case .min: return "min"
        case .max: return "max"
        case .mean: return "mean"
        case .best: return "best"
        case .last: return "last"
        case .none: return "none"
        case .first: return "first"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// `MetricRecord.goal`.
public enum WandbMetricGoal: Int, Sendable, Hashable {
    /// No goal.
    case unset = 0
    /// Lower is better.
    case minimize = 1
    /// Higher is better.
    case maximize = 2
}

/// `RunExitRecord`.
public struct WandbExitRecord: Sendable, Hashable {
    /// The process exit code: 0 is a finished run, anything else a failed one.
    public var exitCode: Int32
    /// The run time in whole seconds.
    public var runtime: Int32

    /// Creates an exit record.
    public init(exitCode: Int32, runtime: Int32) {
        self.exitCode = exitCode
        self.runtime = runtime
    }
}
