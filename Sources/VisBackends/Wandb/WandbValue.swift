import Foundation
import OrderedCollections
import VisCore

/// A value logged to a W&B run's history: a number, text, a bool, any JSON tree, or an image.
///
/// Literals make plain values, so a row reads like the Python `run.log({...})` call:
///
/// ```swift
/// try run.log(["loss": 0.25, "epoch": 3, "phase": "train", "sample": .image(picture, caption: "batch 0")])
/// ```
public enum WandbValue: Sendable, Hashable {
    /// A JSON value (numbers keep the integer/float distinction: `3` vs `3.0`).
    case value(ConfigValue)
    /// An image, stored as `files/media/images/<key>_<step>_<sha256[:20]>.png` and logged as an `image-file`.
    case image(Image, caption: String? = nil)

    /// Wraps a scalar.
    public init(_ scalar: ScalarValue) {
        switch scalar {
        case .int(let value): self = .value(.int(value))
        case .double(let value): self = .value(.double(value))
        }
    }
}

extension WandbValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .value(.int(value)) }
}

extension WandbValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .value(.double(value)) }
}

extension WandbValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .value(.string(value)) }
}

extension WandbValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .value(.bool(value)) }
}

/// One `log` call's values, in order.
public typealias WandbRow = OrderedDictionary<String, WandbValue>

/// A `define_metric` definition: how W&B summarises a metric and which metric is its x axis.
///
/// ```swift
/// try run.defineMetric(WandbMetricDefinition("coco/bbox_mAP", summary: [.max]))
/// try run.defineMetric(WandbMetricDefinition("val/*", stepMetric: "epoch"))
/// ```
public struct WandbMetricDefinition: Sendable, Hashable {
    /// The metric name; a `*` makes it a pattern matching any run of characters (`val/*`).
    public var name: String
    /// The metric to use as this one's x axis.
    public var stepMetric: String?
    /// Whether a row holding this metric but not its step metric gets the step metric's last value (W&B's
    /// default when a step metric is given).
    public var stepSync: Bool
    /// Whether the metric is hidden in the W&B UI.
    public var hidden: Bool
    /// The summaries kept (`min`, `max`, `mean`, `best`, `last`, `first`, `none`); empty keeps W&B's default,
    /// the last value.
    public var summary: Set<WandbMetricSummary>
    /// Whether lower or higher is better; needed by the `best` summary.
    public var goal: WandbMetricGoal

    /// Creates a definition.
    public init(
        _ name: String, stepMetric: String? = nil, stepSync: Bool = true, hidden: Bool = false,
        summary: Set<WandbMetricSummary> = [], goal: WandbMetricGoal = .unset
    ) {
        self.name = name
        self.stepMetric = stepMetric
        self.stepSync = stepSync
        self.hidden = hidden
        self.summary = summary
        self.goal = goal
    }

    /// Whether ``name`` is a pattern.
    public var isPattern: Bool { name.contains("*") }

    /// Checks the definition: a non-empty name, and a goal when `best` is asked for.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)``.
    public func validate() throws(VisBackendError) {
        guard !name.isEmpty else {
            throw .invalidArgument(argument: "name", expected: "a non-empty metric name or pattern", actual: "\"\"")
        }
        if summary.contains(.best) && goal == .unset {
            throw .invalidArgument(
                argument: "goal", expected: "\"min\" or \"max\" when the summary includes \"best\"", actual: "none")
        }
        if let stepMetric, stepMetric.isEmpty {
            throw .invalidArgument(argument: "step_metric", expected: "a non-empty metric name", actual: "\"\"")
        }
    }

    /// Whether `key` is this metric or matches its pattern (`*` matches any characters, `/` included).
    public func matches(_ key: String) -> Bool {
        guard isPattern else { return key == name }
        return Self.wildcardMatch(Array(name.unicodeScalars), Array(key.unicodeScalars))
    }

    /// The record written to the log.
    var record: WandbMetricRecord {
        var record = WandbMetricRecord()
        if isPattern { record.globName = name } else { record.name = name }
        record.stepMetric = stepMetric ?? ""
        record.stepSync = stepMetric != nil && stepSync
        record.hidden = hidden
        record.summary = summary
        record.goal = goal
        return record
    }

    /// Iterative `*` matching with single-star backtracking: linear in practice, never exponential.
    private static func wildcardMatch(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0
        var t = 0
        var star = -1
        var resume = 0
        while t < text.count {
            if p < pattern.count && pattern[p] != "*" && pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p
                p += 1
                resume = t
            } else if star >= 0 {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension WandbMetricDefinition {
    /// Parses W&B's summary text: names separated by commas (`"min,max"`).
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` naming `summary`.
    public static func summaries(parsing text: String) throws(VisBackendError) -> Set<WandbMetricSummary> {
        var result: Set<WandbMetricSummary> = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let kind = WandbMetricSummary.allCases.first(where: { $0.name == name }) else {
                throw .invalidArgument(
                    argument: "summary",
                    expected: "comma-separated names among min, max, mean, best, last, first, none",
                    actual: text.debugDescription)
            }
            result.insert(kind)
        }
        return result
    }

    /// Builds the definitions of MMEngine's `define_metric_cfg`: a dictionary `{metric: summary}` (each becomes
    /// `define_metric(metric, summary=summary)`), or a list of dictionaries of `define_metric` arguments
    /// (`name`, `step_metric`, `step_sync`, `hidden`, `summary`, `goal`).
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` naming `define_metric_cfg` or the
    ///   offending argument.
    public static func definitions(fromMMEngineConfig value: ConfigValue) throws(VisBackendError)
        -> [WandbMetricDefinition]
    {
        switch value {
        case .null:
            return []
        case .dictionary(let entries):
            var definitions: [WandbMetricDefinition] = []
            for (metric, summary) in entries {
                guard let text = summary.stringValue else {
                    throw .invalidArgument(
                        argument: "define_metric_cfg.\(metric)", expected: "a summary string such as \"max\"",
                        actual: summary.kindDescription)
                }
                let definition = WandbMetricDefinition(metric, summary: try summaries(parsing: text))
                try definition.validate()
                definitions.append(definition)
            }
            return definitions
        case .array:
            do {
                return try ConfigValueDecoder().decode(
                    [_DefineMetricArguments].self, from: value, codingPath: [.key("define_metric_cfg")]
                ).map(\.definition)
            } catch let error as ConfigDecodingError {
                throw VisBackendError(error)
            } catch let error as VisBackendError {
                throw error
            } catch {
                throw .invalidArgument(argument: "define_metric_cfg", expected: "define_metric arguments", actual: "\(error)")
            }
        default:
            throw .invalidArgument(
                argument: "define_metric_cfg", expected: "a dictionary {metric: summary} or a list of dictionaries",
                actual: value.kindDescription)
        }
    }

}

/// One entry of MMEngine's list form of `define_metric_cfg`: the arguments of `wandb.define_metric`.
struct _DefineMetricArguments: Decodable {
    let definition: WandbMetricDefinition

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, goal, hidden, overwrite, summary
        case stepMetric = "step_metric", stepSync = "step_sync"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue).sorted())
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var definition = WandbMetricDefinition(
            try container.decode(String.self, forKey: .name, whenMissing: "a metric name in every define_metric_cfg entry"),
            stepMetric: try container.decodeIfPresent(String.self, forKey: .stepMetric),
            stepSync: try container.decodeIfPresent(Bool.self, forKey: .stepSync) ?? true,
            hidden: try container.decodeIfPresent(Bool.self, forKey: .hidden) ?? false,
            summary: try container.decodeIfPresent(String.self, forKey: .summary).map {
                try WandbMetricDefinition.summaries(parsing: $0)
            } ?? [])
        switch try container.decodeIfPresent(String.self, forKey: .goal)?.lowercased() {
        case nil: break
        case "min", "minimize": definition.goal = .minimize
        case "max", "maximize": definition.goal = .maximize
        case let other?:
            throw ConfigDecodingError(
                .invalidValue, codingPath: container.codingPath + [CodingKeys.goal], expected: "\"min\" or \"max\"",
                actual: other.debugDescription)
        }
        try definition.validate()
        self.definition = definition
    }
}
