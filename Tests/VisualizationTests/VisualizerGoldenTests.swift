import Foundation
import Testing
import VisTestSupport
import Visualization

/// A scene with every drawing method, compared with a committed PNG (regenerate with `VIS_REGENERATE_GOLDEN=1`).
///
/// Tolerance: 2 per sample. The rasterizer's output is deterministic, but arcs (circles, round joins) go through
/// libm's sin/cos and glyphs through the installed FreeType, which may differ by a rounding step between systems.
@Suite("Visualizer golden images")
struct VisualizerGoldenTests {
    static let directory = TestSupport.packageRoot.appendingPathComponent("Tests/VisualizationTests/Golden")

    /// A soft sky-to-ground gradient, 320×240.
    static func background() throws -> Image {
        let (width, height) = (320, 240)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let t = Double(y) / Double(height)
                let index = (y * width + x) * 3
                pixels[index] = UInt8(170 - 90 * t + Double(x) / 16)
                pixels[index + 1] = UInt8(200 - 80 * t)
                pixels[index + 2] = UInt8(230 - 150 * t)
            }
        }
        return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    @Test("Every draw method on one image")
    func everyMethod() throws {
        let visualizer = try Visualizer(image: try Self.background(), rank: 0)
        var mask = [[Bool]](repeating: [Bool](repeating: false, count: 320), count: 240)
        for y in 0..<240 {
            for x in 0..<320 where pow(Double(x) - 250, 2) / 1600 + pow(Double(y) - 180, 2) / 500 <= 1 {
                mask[y][x] = true
            }
        }
        try visualizer
            .drawBinaryMasks(mask, colors: "tab:orange", alphas: 0.5)
            .drawBoundingBoxes(
                [[20, 20, 140, 110], [200, 150, 300, 210]], edgeColors: ["r", "tab:orange"],
                lineStyles: [.solid, .dashed],
                lineWidths: [2, 3], faceColors: ["w", .none], alpha: 0.8
            )
            .drawTexts(
                ["person 0.97", "猫 cat"], at: [[20, 20], [200, 150]], fontSizes: [10, 12], colors: "w",
                verticalAlignments: .all(.bottom),
                backgrounds: .all(TextBackground(faceColor: "black", edgeColor: .none, alpha: 0.8, padPoints: 0.7))
            )
            .drawPolygons(
                [[[160, 40], [230, 30], [260, 90], [190, 110]]], edgeColors: "b", lineStyles: .all(.dashDot),
                faceColors: "c",
                alpha: 0.5
            )
            .drawCircles(
                centers: [[80, 170], [80, 170]], radii: [40, 15], edgeColors: ["m", "y"], faceColors: [.none, "y"]
            )
            .drawLines(
                xData: [[10, 310], [10, 310], [10, 310]], yData: [[225, 225], [232, 232], [218, 218]],
                colors: ["k", "w", "g"],
                lineStyles: [.solid, .dotted, .dashed], lineWidths: [1, 2, 1.5]
            )
            .drawPoints(
                [[40, 70], [60, 70], [80, 70], [100, 70], [120, 70], [40, 95], [60, 95], [80, 95], [100, 95]],
                colors: ["r", "g", "b", "c", "m", "y", "k", "w", "tab:purple"], marker: .circle,
                sizes: [36, 36, 64, 16, 36, 36, 36, 36, 100])
        for (index, marker) in PointMarker.allCases.enumerated() {
            try visualizer.drawPoints([168 + Double(index) * 16, 122], colors: "k", marker: marker, sizes: 49)
        }
        let image = try visualizer.getImage()
        let result = try TestSupport.compareWithGolden(
            image, name: "every_method.png", directory: Self.directory, tolerance: 2)
        #expect(result.differingSamples == 0, "\(result.differingSamples) samples differ (max \(result.maxDifference)); rendered: \(result.actualPath ?? "-")")
    }
}
