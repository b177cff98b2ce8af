import Foundation

/// What a scalar series did: how many points, over which steps, its extremes and its last value.
///
/// NaN values count as points but never become the minimum or maximum (as NumPy's `nanmin`/`nanargmin`); a
/// series of NaN only has NaN extremes without a step. Ties go to the first point, as `argmin` does.
public struct CurveSummary: Sendable, Hashable {
    /// The number of points.
    public var count: Int
    /// The step of the first point.
    public var firstStep: Int
    /// The step of the last point.
    public var lastStep: Int
    /// The smallest value (`-inf` counts; NaN only when every value is NaN).
    public var min: Double
    /// The step of the first point holding ``min``, `nil` when every value is NaN.
    public var minStep: Int?
    /// The largest value (`+inf` counts; NaN only when every value is NaN).
    public var max: Double
    /// The step of the first point holding ``max``, `nil` when every value is NaN.
    public var maxStep: Int?
    /// The last value.
    public var last: Double

    /// The summary of `points`, or `nil` when there are none.
    public init?(_ points: [CurvePoint]) {
        guard let first = points.first, let final = points.last else { return nil }
        count = points.count
        firstStep = first.step
        lastStep = final.step
        last = final.value
        min = .nan
        max = .nan
        for point in points where !point.value.isNaN {
            if minStep == nil || point.value < min { (min, minStep) = (point.value, point.step) }
            if maxStep == nil || point.value > max { (max, maxStep) = (point.value, point.step) }
        }
    }
}

/// The iteration time of an MMEngine runner log, as MMEngine's `analyze_logs.py cal_train_time` reports it.
///
/// Train lines are grouped by consecutive epoch. An epoch's average leaves out its first line (the warm-up
/// outlier) unless `includeOutliers`; the overall average uses every train line. An epoch left without lines
/// is skipped rather than averaged to NaN.
public struct TrainTimeSummary: Sendable, Hashable {
    /// One epoch's average seconds per iteration.
    public struct Epoch: Sendable, Hashable {
        /// The epoch.
        public var epoch: Double
        /// Its average seconds per iteration.
        public var averageTime: Double
    }

    /// The number of train lines with a `time`.
    public var lineCount: Int
    /// The average seconds per iteration over every train line.
    public var averageIterationTime: Double
    /// Per-epoch averages, in log order; empty when the log has no epochs.
    public var epochs: [Epoch]
    /// The epoch with the largest average.
    public var slowestEpoch: Epoch?
    /// The epoch with the smallest average.
    public var fastestEpoch: Epoch?
    /// The population standard deviation of the epoch averages.
    public var standardDeviationOverEpochs: Double?
    /// The iterations trained: the last train line's `step`.
    public var iterations: Int?
    /// ``averageIterationTime`` × ``iterations``: the training time the average implies (MMEngine's ETA at the
    /// first iteration, with hindsight).
    public var estimatedTotalSeconds: Double? {
        iterations.map { averageIterationTime * Double($0) }
    }

    /// The summary of a runner log's iteration times, or `nil` when it has none.
    public init?(_ times: [CurveRun.IterationTime], includeOutliers: Bool = false) {
        guard !times.isEmpty else { return nil }
        lineCount = times.count
        averageIterationTime = times.reduce(0) { $0 + $1.seconds } / Double(times.count)
        iterations = times.last?.step
        epochs = []
        if times.first?.epoch != nil {
            var start = 0
            while start < times.count {
                var end = start + 1
                while end < times.count, times[end].epoch == times[start].epoch { end += 1 }
                let used = times[(includeOutliers ? start : start + 1)..<end]
                if !used.isEmpty, let epoch = times[start].epoch {
                    let mean = used.reduce(0) { $0 + $1.seconds } / Double(used.count)
                    epochs.append(Epoch(epoch: epoch, averageTime: mean))
                }
                start = end
            }
        }
        // First of equals, as NumPy's argmax/argmin.
        slowestEpoch = epochs.reduce(nil) { best, next in (best.map { next.averageTime > $0.averageTime } ?? true) ? next : best }
        fastestEpoch = epochs.reduce(nil) { best, next in (best.map { next.averageTime < $0.averageTime } ?? true) ? next : best }
        if !epochs.isEmpty {
            let mean = epochs.reduce(0) { $0 + $1.averageTime } / Double(epochs.count)
            let variance = epochs.reduce(0) { $0 + ($1.averageTime - mean) * ($1.averageTime - mean) } / Double(epochs.count)
            standardDeviationOverEpochs = variance.squareRoot()
        }
    }
}

extension CurveRun {
    /// The summary of `key`.
    ///
    /// - Throws: ``CurvesError/missingKey(run:key:available:)`` listing the keys the run has.
    public func summary(of key: String) throws(CurvesError) -> CurveSummary {
        guard let summary = CurveSummary(try points(of: key)) else {
            throw .missingKey(run: name, key: key, available: keys)
        }
        return summary
    }

    /// The iteration-time summary of an MMEngine runner log; `nil` for other runs.
    public func trainTimeSummary(includeOutliers: Bool = false) -> TrainTimeSummary? {
        TrainTimeSummary(iterationTimes, includeOutliers: includeOutliers)
    }
}

extension Curves {
    /// TensorBoard's scalar-dashboard smoothing: an exponential moving average started at 0 and debiased by
    /// `1 - weight^n` after `n` finite values, so the first smoothed value equals the first value.
    ///
    /// A constant series is returned as is, and a non-finite value is passed through without entering the
    /// average, as TensorBoard does. `weight` 0 leaves the values unchanged.
    ///
    /// - Throws: ``CurvesError/invalidArgument(argument:expected:actual:)`` unless `0 ≤ weight < 1` (at 1 the
    ///   average never moves from 0).
    public static func smoothed(_ values: [Double], weight: Double) throws(CurvesError) -> [Double] {
        guard weight >= 0, weight < 1 else {
            throw .invalidArgument(argument: "weight", expected: "in [0, 1)", actual: "\(weight)")
        }
        guard let first = values.first, !values.allSatisfy({ $0 == first }) else { return values }
        var last = 0.0
        var accumulated = 0.0
        return values.map { value in
            guard value.isFinite else { return value }
            last = last * weight + (1 - weight) * value
            accumulated += 1
            return last / (1 - pow(weight, accumulated))
        }
    }
}
