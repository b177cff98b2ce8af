import Foundation
import Testing
import VisTestSupport
@testable import Visualization

/// Inputs shared by the task visualizer tests: a procedural image and helpers to run `addDatasample`.
enum TaskTestSupport {
    static let goldenDirectory = TestSupport.packageRoot.appendingPathComponent("Tests/VisualizationTests/Golden")

    /// A 240×160 gradient with a darker "ground" band, so that overlays and labels have something to sit on.
    static func scene(width: Int = 240, height: Int = 160) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let t = Double(y) / Double(height)
                let ground = y > height * 2 / 3
                let index = (y * width + x) * 3
                pixels[index] = UInt8(ground ? 90 + x / 8 : 150 - Int(60 * t) + x / 12)
                pixels[index + 1] = UInt8(ground ? 110 : 185 - Int(70 * t))
                pixels[index + 2] = UInt8(ground ? 70 : 220 - Int(120 * t))
            }
        }
        return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// A uniform image.
    static func plain(width: Int, height: Int, gray: UInt8 = 255) throws -> Image {
        try Image(width: width, height: height, layout: .rgb, fill: [gray, gray, gray])
    }

    /// A visualizer with an in-memory backend, rank 0.
    static func visualizer(
        _ task: (any TaskVisualizer)?, meta: DatasetMeta = DatasetMeta()
    ) throws -> (Visualizer, InMemoryVisBackend) {
        let backend = InMemoryVisBackend()
        let visualizer = try Visualizer(name: "task-test", backends: [.backend(backend)], rank: 0)
        visualizer.taskVisualizer = task
        visualizer.setDatasetMeta(meta)
        return (visualizer, backend)
    }

    /// An elliptical mask of the image's size.
    static func ellipse(width: Int, height: Int, cx: Double, cy: Double, rx: Double, ry: Double) -> [Bool] {
        var bits = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = (Double(x) + 0.5 - cx) / rx
                let dy = (Double(y) + 0.5 - cy) / ry
                bits[y * width + x] = dx * dx + dy * dy <= 1
            }
        }
        return bits
    }

    /// Compares with a golden PNG at tolerance 2 (glyphs and arcs may differ by a rounding step between systems).
    static func expectGolden(_ image: Image, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try TestSupport.compareWithGolden(
            image, name: name, directory: goldenDirectory, tolerance: 2, sourceLocation: sourceLocation)
        #expect(
            result.differingSamples == 0,
            "\(name): \(result.differingSamples) samples differ, max \(result.maxDifference); rendered: \(result.actualPath ?? "-")",
            sourceLocation: sourceLocation)
    }

    /// The bounding box (minX, minY, maxX, maxY) of the pixels for which `predicate` holds, or nil.
    static func bounds(of image: Image, where predicate: (ArraySlice<UInt8>) -> Bool) -> (Int, Int, Int, Int)? {
        var result: (Int, Int, Int, Int)?
        for y in 0..<image.height {
            for x in 0..<image.width where predicate(image[x, y]) {
                if let (a, b, c, d) = result {
                    result = (min(a, x), min(b, y), max(c, x), max(d, y))
                } else {
                    result = (x, y, x, y)
                }
            }
        }
        return result
    }

    /// Whether some pixel is within `tolerance` of `color` per channel.
    static func contains(_ image: Image, color: Color, tolerance: Int = 12) -> Bool {
        bounds(of: image) { pixel in
            abs(Int(pixel[pixel.startIndex]) - Int(color.red)) <= tolerance
                && abs(Int(pixel[pixel.startIndex + 1]) - Int(color.green)) <= tolerance
                && abs(Int(pixel[pixel.startIndex + 2]) - Int(color.blue)) <= tolerance
        } != nil
    }
}
