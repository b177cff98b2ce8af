import Foundation
import Visualization

/// One timed piece of work. `prepare` runs once, untimed, and returns the closure that is timed.
struct Workload: Sendable {
    /// A stable dotted name (`png.encode.rgb.1333x800`), the key in `--json` output and in the anchors' output.
    let name: String
    /// What one run does, in words, for the table.
    let summary: String
    let prepare: @Sendable (BenchContext) throws -> @Sendable () throws -> Void
}

/// Shared inputs for workloads: a scratch directory and the deterministic scene image.
struct BenchContext: Sendable {
    let workDirectory: URL
    /// A 1333×800 RGB image made procedurally (the same pixels every run), also written to
    /// `scene-1333x800.png` for the Python anchors.
    let scene: Image

    static func makeScene(width: Int = 1333, height: Int = 800) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        // Smooth gradients plus a little texture: compresses like a photo rather than like noise or flat colour.
        var state: UInt32 = 12345
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 1_664_525 &+ 1_013_904_223
                let noise = Int(state >> 28)
                let index = (y * width + x) * 3
                pixels[index] = UInt8(truncatingIfNeeded: (x * 255 / max(width - 1, 1) + noise) & 255)
                pixels[index + 1] = UInt8(truncatingIfNeeded: (y * 255 / max(height - 1, 1) + noise) & 255)
                pixels[index + 2] = UInt8(truncatingIfNeeded: (((x / 40 + y / 40) % 2) * 120 + 60 + noise) & 255)
            }
        }
        return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
    }
}

/// The result of timing one workload.
struct Measurement: Sendable {
    let name: String
    let summary: String
    let medianMilliseconds: Double
    let runs: Int
}

enum Timer {
    /// Times `body` after one warm-up run: at least `minimumRuns` runs and at least `minimumSeconds` in total,
    /// at most `maximumRuns`; returns the median in milliseconds and the number of runs.
    static func median(
        minimumRuns: Int = 5, maximumRuns: Int = 200, minimumSeconds: Double = 0.5,
        _ body: () throws -> Void
    ) rethrows -> (Double, Int) {
        try body()
        var samples: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        while samples.count < maximumRuns {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            let t1 = DispatchTime.now().uptimeNanoseconds
            samples.append(Double(t1 - t0) / 1e6)
            let elapsed = Double(t1 - start) / 1e9
            if samples.count >= minimumRuns && elapsed >= minimumSeconds { break }
        }
        samples.sort()
        let middle = samples.count / 2
        let median = samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
        return (median, samples.count)
    }
}

/// Deterministic uniform numbers (SplitMix64) so every run and every anchor draws the same geometry.
struct BenchRandom {
    private var generator: SplitMix64

    init(state: UInt64) { generator = SplitMix64(seed: state) }

    mutating func unit() -> Double { generator.nextUnit() }

    /// A detection-like box `[x1, y1, x2, y2]`: 16–316 × 16–236 pixels, placed uniformly inside `width`×`height`.
    mutating func box(width: Int, height: Int) -> [Double] {
        let w = 16 + unit() * 300
        let h = 16 + unit() * 220
        let x = unit() * (Double(width) - w)
        let y = unit() * (Double(height) - h)
        return [x, y, x + w, y + h]
    }
}

/// A step number shared by the runs of one workload, so that every run writes new files.
final class StepCounter: Sendable {
    private let steps = LockedValue(0)

    func next() -> Int {
        steps.withLock { step in
            step += 1
            return step
        }
    }
}
