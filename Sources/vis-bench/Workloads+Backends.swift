import Foundation
import Logging
import Visualization

extension Workloads {
    /// VisBackends: LocalVisBackend's scalar throughput and latency, and what an image costs the caller versus
    /// in total (PNG encoding and the write happen on the writer thread).
    static let backends: [Workload] = [
        Workload(name: "backends.local.add_scalar.10k", summary: "10 000 addScalar calls, then flush") { context in
            let backend = try LocalVisBackend(saveDir: freshDirectory(context, "scalars-10k"))
            return {
                for step in 0..<10_000 {
                    try backend.addScalar(name: "loss", value: .double(1.0 / Double(step + 1)), step: step)
                }
                backend.flush()
            }
        },
        Workload(name: "backends.local.add_scalar.call", summary: "one addScalar call (caller's time)") { context in
            let backend = try LocalVisBackend(saveDir: freshDirectory(context, "scalars-call"))
            let step = StepCounter()
            return { try backend.addScalar(name: "loss", value: 0.25, step: step.next()) }
        },
        Workload(
            name: "backends.local.add_image.1333x800.total", summary: "addImage of the scene, then flush (PNG written)"
        ) { context in
            let backend = try LocalVisBackend(saveDir: freshDirectory(context, "image-total"))
            let image = context.scene
            let step = StepCounter()
            return {
                try backend.addImage(name: "scene", image: image, step: step.next())
                backend.flush()
            }
        },
        Workload(
            name: "backends.local+tensorboard+wandb.add_image.1333x800.total",
            summary: "Visualizer.addImage of the scene into local, TensorBoard and W&B backends, then flush (one encode, three writes)"
        ) { context in
            var logger = Logger(label: "vis-bench.three-backends")
            logger.logLevel = .warning
            let visualizer = try Visualizer(
                name: "bench-three-backends",
                backends: [
                    .backend(try LocalVisBackend(saveDir: freshDirectory(context, "three-local"))),
                    .backend(try TensorboardVisBackend(saveDir: freshDirectory(context, "three-tb"))),
                    .backend(try WandbVisBackend(
                        saveDir: freshDirectory(context, "three-wandb"), project: "bench", logger: logger)),
                ], rank: 0)
            let image = context.scene
            let step = StepCounter()
            return {
                visualizer.addImage(name: "scene", image: image, step: step.next())
                visualizer.flush()
            }
        },
        Workload(
            name: "backends.local.add_image.1333x800.caller",
            summary: "addImage of the scene: the caller's time only (encoding happens later, off this thread)"
        ) { context in
            // The writer is held busy so that encodes queued by earlier runs do not compete for the CPU; the
            // queued images share the scene's storage (copy-on-write), so the queue costs no memory. When the
            // timed closure is released, the gate opens and the queue drains before the next workload.
            let held = try HeldBackend(saveDir: freshDirectory(context, "image-caller"))
            let image = context.scene
            let step = StepCounter()
            return { try held.backend.addImage(name: "scene", image: image, step: step.next()) }
        },
    ]

    private static func freshDirectory(_ context: BenchContext, _ label: String) -> String {
        context.workDirectory.appendingPathComponent("backends-\(label)-\(UUID().uuidString)").path
    }
}

/// A local backend whose writer thread is blocked until this object is released, then drained and closed.
private final class HeldBackend: @unchecked Sendable {
    let backend: LocalVisBackend
    private let gate = DispatchSemaphore(value: 0)

    init(saveDir: String) throws {
        backend = try LocalVisBackend(saveDir: saveDir, maximumPendingBytes: Int.max / 2)
        let gate = self.gate
        try backend._writer.submit(cost: 0) { gate.wait() }
    }

    deinit {
        gate.signal()
        backend.close()
    }
}
