import Foundation
import VisTools
import Visualization

extension Workloads {
    /// VisTools' self-supervised tools: MMSelfSup's `mocov2` training pipeline on the scene and `vis reconstruct`'s
    /// panel figure. The anchors (`Scripts/bench/anchor_selfsup.py`) do the same work with Pillow, NumPy, torch
    /// and matplotlib as torchvision and MMSelfSup's `visualize_reconstruction.py` do it.
    static let selfsup: [Workload] = [
        Workload(
            name: "selfsup.mocov2.2views.1333x800",
            summary: "the mocov2 preset: two 224×224 views of the scene (random crop, jitter, gray, blur, flip), new seed each run"
        ) { context in
            let pipeline = try SelfSupPipeline.preset(named: "mocov2")
            let scene = context.scene
            let steps = StepCounter()
            return { _ = try pipeline.views(of: scene, seed: UInt64(steps.next())) }
        },
        Workload(
            name: "selfsup.mocov2.2views.1333x800.1thread",
            summary: "the same two views made one after the other on one thread"
        ) { context in
            var pipeline = try SelfSupPipeline.preset(named: "mocov2")
            pipeline.concurrentViews = false
            let scene = context.scene
            let steps = StepCounter()
            return { [pipeline] in _ = try pipeline.views(of: scene, seed: UInt64(steps.next())) }
        },
        Workload(
            name: "selfsup.reconstruction.mae.normpix.png",
            summary: "scene → 224 (Pillow bilinear), MAE 196×768 prediction with norm-pix, 0.75 mask, 4 panels → 24×6-inch PNG"
        ) { context in
            let prediction = try SelfSupBenchData.prediction(in: context.workDirectory)
            let scene = context.scene
            let path = context.workDirectory.appendingPathComponent("reconstruction.png").path
            let steps = StepCounter()
            return {
                let image = try scene.pillowResized(width: 224, height: 224, filter: .bilinear)
                let mask = try NDArray(
                    try ReconstructionPanels.randomMask(patches: 196, ratio: 0.75, seed: UInt64(steps.next())), shape: [196])
                let panels = try ReconstructionPanels.make(
                    image: image, prediction: prediction, mask: mask, patchSize: 16, normPix: true)
                try panels.figure().savefig(path)
            }
        },
    ]
}

/// The reconstruction workload's model output, shared with its anchor.
enum SelfSupBenchData {
    /// A seeded 196×768 float32 MAE prediction (patch vectors in the normalised space), also written to
    /// `mae-prediction-196x768.npy` for the anchor.
    static func prediction(in directory: URL) throws -> NDArray {
        var random = BenchRandom(state: 0x3AE)
        let values = (0..<(196 * 768)).map { _ in Float(random.unit() * 2 - 1) }
        let prediction = try NDArray(values, shape: [196, 768])
        try prediction.writeNPY(to: directory.appendingPathComponent("mae-prediction-196x768.npy").path)
        return prediction
    }
}
