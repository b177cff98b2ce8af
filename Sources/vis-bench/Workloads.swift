import Foundation
import Visualization

/// Namespace for workload groups; each module's group is in `Workloads+<Module>.swift`.
enum Workloads {}

extension Workloads {
    /// VisCore: PNG and JPEG codecs.
    static let core: [Workload] = [
        Workload(name: "png.encode.rgb.1333x800", summary: "encode the scene as PNG (the fast encoder, the default)") {
            context in
            let image = context.scene
            return { _ = try image.pngData(compression: .fast) }
        },
        Workload(name: "png.encode.level6.rgb.1333x800", summary: "encode the scene as PNG (libpng, zlib level 6)") {
            context in
            let image = context.scene
            return { _ = try image.pngData(compressionLevel: 6) }
        },
        Workload(name: "png.decode.rgb.1333x800", summary: "decode the scene's PNG") { context in
            let data = try context.scene.pngData()
            return { _ = try Image(data: data) }
        },
        Workload(name: "jpeg.encode.rgb.1333x800", summary: "encode the scene as JPEG (quality 95, 4:2:0)") { context in
            let image = context.scene
            return { _ = try image.jpegData(quality: 95) }
        },
        Workload(name: "jpeg.decode.rgb.1333x800", summary: "decode the scene's JPEG (quality 95)") { context in
            let data = try context.scene.jpegData(quality: 95)
            return { _ = try Image(data: data) }
        },
    ]
}
