import Foundation
import Visualization

extension Workloads {
    /// VisBackends: the TensorBoard event writer.
    static let tensorboard: [Workload] = [
        Workload(
            name: "tensorboard.add_scalar.100000",
            summary: "100000 addScalar calls on one writer, then flush() (records in the OS)"
        ) { context in
            try TensorboardBench.reportLatencyAndSize(context)
            let writer = try TensorboardWriter(
                logDirectory: context.workDirectory.appendingPathComponent("tb-throughput").path)
            return {
                for step in 0..<100_000 { try writer.addScalar("train/loss", Double(step) * 0.001, step: step) }
                writer.flush()
            }
        },
        Workload(
            name: "tensorboard.add_image.1333x800",
            summary: "addImage of the scene (PNG encode on the writer thread), then flush()"
        ) { context in
            let writer = try TensorboardWriter(
                logDirectory: context.workDirectory.appendingPathComponent("tb-image").path)
            let image = context.scene
            return {
                try writer.addImage("scene", image, step: 0)
                writer.flush()
            }
        },
    ]
}

/// Figures the timing table has no column for: caller latency percentiles and the file size per scalar.
enum TensorboardBench {
    /// Times 100000 `addScalar` calls one by one and prints the p50/p99/p99.9 caller latency and the bytes each
    /// scalar takes on disk (record framing included).
    static func reportLatencyAndSize(_ context: BenchContext) throws {
        let directory = context.workDirectory.appendingPathComponent("tb-latency").path
        let writer = try TensorboardWriter(logDirectory: directory)
        let count = 100_000
        var samples = [UInt64](repeating: 0, count: count)
        for step in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            try writer.addScalar("train/loss", Double(step) * 0.001, step: step)
            samples[step] = DispatchTime.now().uptimeNanoseconds - start
        }
        let emptySize = 40  // the file_version record
        writer.close()
        let size = (try FileManager.default.attributesOfItem(atPath: writer.filePath)[.size] as? Int) ?? 0
        samples.sort()
        func percentile(_ p: Double) -> String {
            String(format: "%.2f", Double(samples[min(count - 1, Int(Double(count) * p))]) / 1000)
        }
        let bytesPerScalar = Double(size - emptySize) / Double(count)
        FileHandle.standardError.write(
            Data(
                ("  tensorboard.add_scalar caller latency: p50 \(percentile(0.5)) µs, p99 \(percentile(0.99)) µs, "
                    + "p99.9 \(percentile(0.999)) µs, max \(String(format: "%.1f", Double(samples[count - 1]) / 1000)) µs; "
                    + "\(String(format: "%.1f", bytesPerScalar)) bytes on disk per scalar (tag `train/loss`)\n").utf8))
    }
}
