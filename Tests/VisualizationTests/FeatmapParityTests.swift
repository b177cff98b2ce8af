import Foundation
import Testing
import VisTestSupport
@testable import VisCore
@testable import Visualization

/// Parity with MMEngine 0.10.7 itself: `FeatmapReferences/` holds seeded inputs and MMEngine's outputs, made by
/// `Scripts/generate_featmap_references.py` (torch is too large for CI, so the outputs are committed).
@Suite("drawFeatmap parity with MMEngine")
struct FeatmapParityTests {
    struct Manifest: Decodable {
        struct Case: Decodable, CustomTestStringConvertible {
            let name: String
            let featmap: String
            let image: String?
            let channel_reduction: String?
            let topk: Int
            let arrangement: [Int]
            let resize_shape: [Int]?
            let alpha: Double
            let output: String
            let warned: Bool
            let channels: [Int]?
            var testDescription: String { name }
        }
        struct TorchMean: Decodable {
            let featmap: String
            let mean: String
        }
        struct TorchResize: Decodable {
            let featmap: String
            let size: [Int]
            let resized: String
        }
        let cases: [Case]
        let torch_means: [TorchMean]
        let torch_resizes: [TorchResize]
    }

    static let directory = TestSupport.packageRoot.appendingPathComponent("Tests/VisualizationTests/FeatmapReferences")

    static func load() throws -> Manifest {
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    static let cases: [Manifest.Case] = (try? load().cases) ?? []

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @Test("the manifest lists every branch")
    func manifestCoversTheBranches() throws {
        let cases = try Self.load().cases
        #expect(cases.count >= 17)
        let reductions = Set(cases.map { $0.channel_reduction ?? "none" })
        #expect(reductions == ["squeeze_mean", "select_max", "none"])
        #expect(cases.contains { $0.resize_shape != nil && $0.image != nil })
        #expect(cases.contains { $0.channel_reduction == nil && $0.topk > 0 })
        #expect(cases.contains { $0.channel_reduction == nil && $0.topk <= 0 })
    }

    @Test("matches MMEngine's output", arguments: cases)
    func matchesMMEngine(_ reference: Manifest.Case) throws {
        let featmap = try NDArray(npyFile: Self.path(reference.featmap))
        let image = try reference.image.map { try Image(contentsOfFile: Self.path($0)) }
        let warnings = WarningLog()
        let drawn = try Visualizer.drawFeatmap(
            featmap, overlaidImage: image, channelReduction: try ChannelReduction(parsing: reference.channel_reduction),
            topk: reference.topk, arrangement: (reference.arrangement[0], reference.arrangement[1]),
            resizeShape: reference.resize_shape.map { ($0[0], $0[1]) }, alpha: reference.alpha,
            warningHandler: { warnings.append($0) })
        let expected = try Image(contentsOfFile: Self.path(reference.output))
        // Kept for inspection when the comparison fails.
        let actualPath = FileManager.default.temporaryDirectory.appendingPathComponent("featmap-\(reference.name).png").path
        try drawn.writePNG(to: actualPath)
        try #require(drawn.width == expected.width && drawn.height == expected.height)
        #expect(drawn.layout == .rgb)
        #expect(!warnings.messages.isEmpty == reference.warned)

        guard let channels = reference.channels else {
            // One heatmap: every sample equal (the pipeline is reproduced to the bit), within ±1 promised.
            let difference = Self.maxDifference(drawn, expected) { _, _ in true }
            #expect(difference == 0, "max difference \(difference); ours: \(actualPath)")
            return
        }
        // A grid: outside the label boxes ±1 (matplotlib resamples each cell onto the figure). Inside them the
        // glyphs come from this library's rasterizer instead of matplotlib's Agg: within 8 levels, 1.5 on average.
        let cellHeight = drawn.height / reference.arrangement[0]
        let cellWidth = drawn.width / reference.arrangement[1]
        let labelBoxes = channels.indices.map { index -> (x: Range<Int>, y: Range<Int>) in
            let (row, column) = index.quotientAndRemainder(dividingBy: reference.arrangement[1])
            let (x, y) = (column * cellWidth, row * cellHeight)
            return (x..<(x + 80), (y + 3)..<(y + 19))
        }
        let inLabel = { (x: Int, y: Int) in labelBoxes.contains { $0.x.contains(x) && $0.y.contains(y) } }
        let outside = Self.maxDifference(drawn, expected) { x, y in !inLabel(x, y) }
        #expect(outside <= 1, "max difference outside the labels \(outside); ours: \(actualPath)")
        let labelWorst = Self.maxDifference(drawn, expected, where: inLabel)
        let labelMean = Self.meanDifference(drawn, expected, where: inLabel)
        #expect(labelWorst <= 8 && labelMean <= 1.5, "label boxes: max \(labelWorst), mean \(labelMean); ours: \(actualPath)")
    }

    @Test("the channel mean equals torch.mean to the bit (summation order)")
    func torchMeanOrder() throws {
        for entry in try Self.load().torch_means {
            let featmap = try NDArray(npyFile: Self.path(entry.featmap))
            let expected = try NDArray(npyFile: Self.path(entry.mean))
            let (channels, height, width) = (featmap.shape[0], featmap.shape[1], featmap.shape[2])
            if let values = featmap.values(as: Double.self) {
                let mean = _FeatmapReduction.channelMean(
                    values, channels: channels, height: height, width: width, outHeight: height, outWidth: width)
                #expect(mean == expected.values(as: Double.self), "\(entry.featmap)")
            } else {
                let mean = _FeatmapReduction.channelMean(
                    featmap.toFloat32(), channels: channels, height: height, width: width, outHeight: height,
                    outWidth: width)
                #expect(mean == expected.values(as: Float.self), "\(entry.featmap)")
            }
        }
    }

    @Test("NDArray.resizedBilinear equals F.interpolate to the bit (both PyTorch kernels, float32 and float64)")
    func torchResize() throws {
        let entries = try Self.load().torch_resizes
        #expect(entries.count >= 4)
        for entry in entries {
            let featmap = try NDArray(npyFile: Self.path(entry.featmap))
            let expected = try NDArray(npyFile: Self.path(entry.resized))
            let resized = try featmap.resizedBilinear(height: entry.size[0], width: entry.size[1])
            #expect(resized.dtype == expected.dtype && resized.shape == expected.shape, "\(entry.resized)")
            let mismatches: Int
            if let values = resized.values(as: Double.self) {
                mismatches = Self.mismatches(values, expected.values(as: Double.self))
            } else {
                mismatches = Self.mismatches(resized.toFloat32(), expected.values(as: Float.self))
            }
            #expect(mismatches == 0, "\(entry.resized): \(mismatches) of \(expected.count) values differ")
        }
    }

    static func mismatches<T: Equatable>(_ actual: [T], _ expected: [T]?) -> Int {
        guard let expected, expected.count == actual.count else { return max(actual.count, 1) }
        return zip(actual, expected).filter { $0 != $1 }.count
    }

    static func maxDifference(_ a: Image, _ b: Image, where include: (Int, Int) -> Bool) -> Int {
        var worst = 0
        for y in 0..<a.height {
            for x in 0..<a.width where include(x, y) {
                for channel in 0..<3 { worst = max(worst, abs(Int(a[x, y, channel]) - Int(b[x, y, channel]))) }
            }
        }
        return worst
    }

    static func meanDifference(_ a: Image, _ b: Image, where include: (Int, Int) -> Bool) -> Double {
        var total = 0
        var count = 0
        for y in 0..<a.height {
            for x in 0..<a.width where include(x, y) {
                for channel in 0..<3 {
                    total += abs(Int(a[x, y, channel]) - Int(b[x, y, channel]))
                    count += 1
                }
            }
        }
        return count == 0 ? 0 : Double(total) / Double(count)
    }
}

/// Collects warnings from a `@Sendable` handler.
final class WarningLog: Sendable {
    private let stored = Recorder<String>()

    var messages: [String] { stored.values }

    func append(_ message: String) { stored.append(message) }
}
