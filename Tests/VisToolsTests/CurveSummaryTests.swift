import Foundation
import Testing
import VisTools

/// Summaries of series and of an MMEngine runner log's iteration times.
@Suite("Curves summaries")
struct CurveSummaryTests {
    static func points(_ values: [Double], steps: [Int]? = nil) -> [CurvePoint] {
        values.enumerated().map { CurvePoint(step: steps?[$0.offset] ?? $0.offset * 10, value: $0.element) }
    }

    @Test("count, first/last step, extremes with their first step, last; NaN skipped in extremes")
    func series() throws {
        let summary = try #require(CurveSummary(Self.points([3, 1, .nan, 5, 1, 5, .nan])))
        #expect(summary.count == 7)
        #expect(summary.firstStep == 0 && summary.lastStep == 60)
        #expect(summary.min == 1 && summary.minStep == 10)
        #expect(summary.max == 5 && summary.maxStep == 30)
        #expect(summary.last.isNaN)
        let infinite = try #require(CurveSummary(Self.points([1, -.infinity, .infinity])))
        #expect(infinite.min == -.infinity && infinite.minStep == 10 && infinite.max == .infinity)
        let allNaN = try #require(CurveSummary(Self.points([.nan, .nan])))
        #expect(allNaN.min.isNaN && allNaN.minStep == nil && allNaN.maxStep == nil)
        let single = try #require(CurveSummary(Self.points([2])))
        #expect(single.min == 2 && single.max == 2 && single.firstStep == single.lastStep)
        #expect(CurveSummary([]) == nil)
    }

    @Test("iteration time as analyze_logs cal_train_time: first line of each epoch left out of its average")
    func trainTime() throws {
        let times = [0.9, 0.5, 0.4, 0.8, 0.6, 0.7].enumerated().map {
            CurveRun.IterationTime(epoch: Double($0.offset / 3 + 1), step: ($0.offset + 1) * 10, seconds: $0.element)
        }
        let summary = try #require(TrainTimeSummary(times))
        #expect(summary.lineCount == 6)
        #expect(abs(summary.averageIterationTime - 3.9 / 6) < 1e-12)
        #expect(summary.epochs.map(\.epoch) == [1, 2])
        #expect(abs(summary.epochs[0].averageTime - 0.45) < 1e-12)
        #expect(abs(summary.epochs[1].averageTime - 0.65) < 1e-12)
        #expect(summary.slowestEpoch?.epoch == 2 && summary.fastestEpoch?.epoch == 1)
        #expect(abs((summary.standardDeviationOverEpochs ?? 0) - 0.1) < 1e-12)
        #expect(summary.iterations == 60)
        #expect(abs((summary.estimatedTotalSeconds ?? 0) - 39) < 1e-9)
        let outliers = try #require(TrainTimeSummary(times, includeOutliers: true))
        #expect(abs(outliers.epochs[0].averageTime - 0.6) < 1e-12)
        // Iteration-based training: no epochs, only the overall average.
        let iterations = try #require(TrainTimeSummary([CurveRun.IterationTime(epoch: nil, step: 5, seconds: 2)]))
        #expect(iterations.epochs.isEmpty && iterations.slowestEpoch == nil && iterations.averageIterationTime == 2)
        #expect(TrainTimeSummary([]) == nil)
    }

    @Test("the report's JSON parses, names every field, and writes non-finite values as null with a marker")
    func reportJSON() throws {
        let run = CurveRun(
            name: "r\"1", path: "/x", kind: .localScalars,
            series: ["loss": Self.points([2, 1, .nan]), "acc": Self.points([.infinity])])
        let report = try CurveReport(runs: [run], keys: ["loss", "acc"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.first?["run"] as? String == "r\"1")
        let keys = try #require(runs.first?["keys"] as? [String: [String: Any]])
        let loss = try #require(keys["loss"])
        #expect(loss["count"] as? Int == 3 && loss["first_step"] as? Int == 0 && loss["last_step"] as? Int == 20)
        #expect(loss["min"] as? Double == 1 && loss["min_step"] as? Int == 10)
        #expect(loss["max"] as? Double == 2 && loss["max_step"] as? Int == 0)
        #expect(loss["last"] is NSNull && loss["last_nonfinite"] as? String == "nan")
        let acc = try #require(keys["acc"])
        #expect(acc["max"] is NSNull && acc["max_nonfinite"] as? String == "inf")
        #expect(report.text.contains("loss") && report.text.contains("nan"))
        #expect(throws: CurvesError.self) { try CurveReport(runs: [run], keys: ["lr"]) }
    }
}
