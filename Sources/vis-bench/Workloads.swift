import Foundation
import Visualization

/// Namespace for workload groups; each module's group is in `Workloads+<Module>.swift`.
enum Workloads {}

extension Workloads {
    /// VisCore: codecs.
    static let core: [Workload] = [
        Workload(name: "png.encode.rgb.1333x800", summary: "encode the scene as PNG (level 6)") { context in
            let image = context.scene
            return { _ = try image.pngData() }
        },
        Workload(name: "png.decode.rgb.1333x800", summary: "decode the scene's PNG") { context in
            let data = try context.scene.pngData()
            return { _ = try Image(data: data) }
        },
    ]
}
