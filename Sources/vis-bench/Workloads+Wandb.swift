import Foundation
import Logging
import Visualization

extension Workloads {
    /// VisBackends: W&B offline runs. Each run starts a run (directory, header and run records), logs the
    /// scalars one call at a time (each call its own history row plus summary update, as MMEngine's
    /// `commit=True`) and closes it (everything written, exit record), so the time includes the flush.
    static let wandb: [Workload] = [100_000, 10_000].map { count in
        Workload(
            name: "wandb.add_scalar.\(count)",
            summary: "WandbVisBackend: start a run, \(count) add_scalar calls, close (flushed, exit record)"
        ) { context in
            let root = context.workDirectory.appendingPathComponent("wandb-\(count)").path
            var logger = Logger(label: "vis-bench.wandb")
            logger.logLevel = .warning
            let quiet = logger
            return {
                let backend = try WandbVisBackend(saveDir: root, project: "bench", logger: quiet)
                for step in 0..<count {
                    try backend.addScalar(name: "loss", value: .double(1.0 / Double(step + 1)), step: step)
                }
                backend.close()
            }
        }
    }
}
