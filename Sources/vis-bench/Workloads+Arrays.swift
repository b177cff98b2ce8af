import Foundation
import Visualization

extension Workloads {
    /// VisCore: arrays, `.npy` I/O and resizing.
    static let arrays: [Workload] = [
        Workload(
            name: "npy.read.float32.256x50x84",
            summary: "read a 256×50×84 float32 feature map from .npy (4.3 MB)"
        ) { context in
            let path = context.workDirectory.appendingPathComponent("featmap-256x50x84.npy").path
            let count = 256 * 50 * 84
            let values = (0..<count).map { Float(($0 * 7919) % 10007) / 10007 - 0.5 }
            try NDArray(values, shape: [256, 50, 84]).writeNPY(to: path)
            return { _ = try NDArray(npyFile: path) }
        },
        Workload(
            name: "resize.bilinear.rgb.1333x800to667x400",
            summary: "resize the scene to 667×400, OpenCV INTER_LINEAR semantics"
        ) { context in
            let image = context.scene
            return { _ = try image.resized(width: 667, height: 400, interpolation: .bilinear) }
        },
    ]
}
