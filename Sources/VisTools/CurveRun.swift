import OrderedCollections

/// One logged value of a scalar series.
public struct CurvePoint: Sendable, Hashable {
    /// The step it was logged at (the global iteration for MMEngine's train lines).
    public var step: Int
    /// When it was logged (seconds since 1970), if the log records it (TensorBoard, W&B; not JSON lines).
    public var wallTime: Double?
    /// The value; NaN and infinities are kept as logged.
    public var value: Double
    /// The training epoch the value belongs to, if the run logs an `epoch` scalar: the row's own `epoch`, else
    /// the last one logged before it (a validation line belongs to the epoch it follows).
    public var epoch: Double?

    /// Creates a point.
    public init(step: Int, wallTime: Double? = nil, value: Double, epoch: Double? = nil) {
        self.step = step
        self.wallTime = wallTime
        self.value = value
        self.epoch = epoch
    }
}

/// The training curves of one run: every scalar key with its points in log order.
///
/// Read runs with ``Curves/readRuns(at:)``; summarise a key with ``summary(of:)`` and smooth it with
/// ``Curves/smoothed(_:weight:)``.
public struct CurveRun: Sendable {
    /// What wrote a run.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `scalars.json` of a `LocalVisBackend` (JSON lines, `"step"` in every line).
        case localScalars
        /// An MMEngine runner log (`vis_data/<timestamp>.json`, or a `scalars.json` holding the same lines):
        /// JSON lines whose train lines carry `epoch`/`iter` and the iteration `time`.
        case runnerLog
        /// A TensorBoard run (a directory of `*tfevents*` files).
        case tensorboard
        /// A W&B offline run (`offline-run-*` with its `run-<id>.wandb` transaction log).
        case wandb

        /// A name for people.
        public var displayName: String {
            switch self {
            case .localScalars: return "LocalVisBackend scalars"
            case .runnerLog: return "MMEngine runner log"
            case .tensorboard: return "TensorBoard run"
            case .wandb: return "W&B offline run"
            }
        }
    }

    /// The run's name: its folder name (a TensorBoard run's directory relative to the log directory).
    public var name: String
    /// The file or directory the run was read from.
    public var path: String
    /// What wrote the run.
    public var kind: Kind
    /// Every numeric key in first-logged order, with its points in log order.
    public var series: OrderedDictionary<String, [CurvePoint]>
    /// The train lines' iteration times of an MMEngine runner log, in log order (empty for other kinds).
    public var iterationTimes: [IterationTime]

    /// One train line's `time` (seconds per iteration, as MMEngine's logger averages it over the log interval).
    public struct IterationTime: Sendable, Hashable {
        /// The epoch the line belongs to; `nil` when the log has no epochs (iteration-based training).
        public var epoch: Double?
        /// The line's `step` (global iteration), if it has one.
        public var step: Int?
        /// Seconds per iteration.
        public var seconds: Double

        /// Creates an iteration time.
        public init(epoch: Double?, step: Int?, seconds: Double) {
            self.epoch = epoch
            self.step = step
            self.seconds = seconds
        }
    }

    /// Creates a run from its series.
    public init(
        name: String, path: String, kind: Kind, series: OrderedDictionary<String, [CurvePoint]>,
        iterationTimes: [IterationTime] = []
    ) {
        self.name = name
        self.path = path
        self.kind = kind
        self.series = series
        self.iterationTimes = iterationTimes
    }

    /// The keys the run has, in first-logged order.
    public var keys: [String] { Array(series.keys) }

    /// The points of `key`.
    ///
    /// - Throws: ``CurvesError/missingKey(run:key:available:)`` listing the keys the run has.
    public func points(of key: String) throws(CurvesError) -> [CurvePoint] {
        guard let points = series[key] else { throw .missingKey(run: name, key: key, available: keys) }
        return points
    }
}

/// Collects the points of a run row by row (a JSON line, a W&B history row, a TensorBoard step) and tracks the
/// current epoch across rows.
struct _CurveRowCollector {
    var series: OrderedDictionary<String, [CurvePoint]> = [:]
    var currentEpoch: Double?

    /// Adds one row: its step, wall time and numeric values. A row's own `epoch` applies to the row itself.
    mutating func add(step: Int, wallTime: Double?, values: [(key: String, value: Double)]) {
        if let epoch = values.first(where: { $0.key == "epoch" })?.value, epoch.isFinite { currentEpoch = epoch }
        for (key, value) in values {
            series[key, default: []].append(CurvePoint(step: step, wallTime: wallTime, value: value, epoch: currentEpoch))
        }
    }
}
