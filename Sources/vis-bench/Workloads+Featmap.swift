import Foundation
import Visualization

extension Workloads {
    /// Visualization: `drawFeatmap` on a backbone-sized map (256×50×84, a stride-16 map of an 800×1333 input)
    /// over the 800×1333 scene, one workload per branch. The map is written to `featmap-bench-256x50x84.npy` for
    /// the MMEngine anchors (Scripts/bench/anchor_featmap.py).
    static let featmap: [Workload] = [
        featmapWorkload("squeeze_mean", summary: "channel mean, resized to the scene, JET, blended", .squeezeMean),
        featmapWorkload("select_max", summary: "channel with the largest sum, resized, JET, blended", .selectMax),
        featmapWorkload("topk20", summary: "top-20 channels as a 4×5 grid of 800×1333 heatmaps, labelled", .none),
    ]

    private static func featmapWorkload(_ branch: String, summary: String, _ reduction: ChannelReduction) -> Workload {
        Workload(name: "featmap.\(branch).256x50x84.over800x1333", summary: summary) { context in
            let featmap = try benchFeatmap(in: context.workDirectory)
            let scene = context.scene
            return {
                _ = try Visualizer.drawFeatmap(
                    featmap, overlaidImage: scene, channelReduction: reduction, warningHandler: { _ in })
            }
        }
    }

    /// A seeded 256×50×84 float32 map like a backbone's activations: two blobs (objects) shared by all channels
    /// with a per-channel strength, plus noise. Saved beside the scene so the anchors draw the same data.
    static func benchFeatmap(in directory: URL) throws -> NDArray {
        var state: UInt64 = 0x5EED
        let (height, width) = (50, 84)
        var values = [Float]()
        values.reserveCapacity(256 * height * width)
        for channel in 0..<256 {
            let strength = 0.5 + Float(channel % 7) / 7
            for y in 0..<height {
                for x in 0..<width {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let noise = Float(state >> 40) / Float(1 << 24) - 0.5
                    let (dx, dy) = (Float(x - 55), Float(y - 20))
                    let (ex, ey) = (Float(x - 20), Float(y - 34))
                    let blobs = exp(-(dx * dx + dy * dy) / 300) + 0.6 * exp(-(ex * ex + ey * ey) / 150)
                    values.append(0.4 * noise + strength * blobs)
                }
            }
        }
        let featmap = try NDArray(values, shape: [256, height, width])
        try featmap.writeNPY(to: directory.appendingPathComponent("featmap-bench-256x50x84.npy").path)
        return featmap
    }
}
