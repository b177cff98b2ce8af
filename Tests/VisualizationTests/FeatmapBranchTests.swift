import Foundation
import Testing
import VisTestSupport
import Visualization

/// `Visualizer.drawFeatmap`: every branch with hand-checkable maps (values measured with MMEngine), the output
/// shapes MMEngine produces and the errors.
@Suite("drawFeatmap branches")
struct FeatmapBranchTests {
    /// `[[0, 1], [2, 3]]`, normalised to 0, 85, 170, 255.
    static let ramp: [Float] = [0, 1, 2, 3]

    static func pixels(_ image: Image) -> [[UInt8]] {
        (0..<image.height).flatMap { y in (0..<image.width).map { x in Array(image[x, y]) } }
    }

    static func jet(_ indices: [UInt8]) -> [[UInt8]] {
        indices.map { let color = Colormap.jet.color(at: $0); return [color.red, color.green, color.blue] }
    }

    /// A deterministic map with distinct channel sums (channel c is offset by c/10).
    static func map(_ channels: Int, _ height: Int, _ width: Int) throws -> NDArray {
        var state: UInt32 = 2024
        let values = (0..<(channels * height * width)).map { index -> Float in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 24) + Float(index / (height * width)) / 10
        }
        return try NDArray(values, shape: [channels, height, width])
    }

    static func image(_ height: Int, _ width: Int, layout: PixelLayout = .rgb) throws -> Image {
        let count = height * width * layout.channels
        return try Image(width: width, height: height, layout: layout, pixels: (0..<count).map { UInt8($0 * 7 % 251) })
    }

    static let uniform100 = try? Image(width: 2, height: 2, layout: .rgb, fill: [100, 100, 100])

    // MARK: - MMEngine's measured values

    @Test("one channel [[0,1],[2,3]] with the defaults: JET of 0, 85, 170, 255")
    func rampAlone() throws {
        let drawn = try Visualizer.drawFeatmap(Self.ramp, shape: [1, 2, 2])
        #expect(drawn.layout == .rgb && drawn.width == 2 && drawn.height == 2)
        #expect(Self.pixels(drawn) == [[0, 0, 128], [0, 212, 255], [255, 212, 0], [128, 0, 0]])
    }

    @Test("over an all-100 image: alpha 0.5 and 0.3")
    func rampOverImage() throws {
        let image = try #require(Self.uniform100)
        let half = try Visualizer.drawFeatmap(Self.ramp, shape: [1, 2, 2], overlaidImage: image)
        #expect(Self.pixels(half) == [[50, 50, 114], [50, 156, 178], [178, 156, 50], [114, 50, 50]])
        let light = try Visualizer.drawFeatmap(Self.ramp, shape: [1, 2, 2], overlaidImage: image, alpha: 0.3)
        #expect(Self.pixels(light) == [[70, 70, 108], [70, 134, 146], [146, 134, 70], [108, 70, 70]])
    }

    @Test("two channels, ramp and constant 4: squeeze_mean keeps the colours, select_max picks the constant")
    func meanAndSelectMax() throws {
        let values: [Float] = Self.ramp + [4, 4, 4, 4]
        let mean = try Visualizer.drawFeatmap(values, shape: [2, 2, 2])
        #expect(Self.pixels(mean) == [[0, 0, 128], [0, 212, 255], [255, 212, 0], [128, 0, 0]])
        let best = try Visualizer.drawFeatmap(values, shape: [2, 2, 2], channelReduction: .selectMax)
        #expect(Self.pixels(best) == Array(repeating: [0, 0, 128], count: 4))
    }

    @Test("resizeShape (4, 4): bilinear values normalised and coloured")
    func resizeShape() throws {
        let drawn = try Visualizer.drawFeatmap(Self.ramp, shape: [1, 2, 2], resizeShape: (4, 4))
        // [[0,.25,.75,1],[.5,.75,1.25,1.5],[1.5,1.75,2.25,2.5],[2,2.25,2.75,3]] · 85, truncated.
        let intensities: [UInt8] = [0, 21, 63, 85, 42, 63, 106, 127, 127, 148, 191, 212, 170, 191, 233, 255]
        #expect(Self.pixels(drawn) == Self.jet(intensities))
    }

    @Test("none, topk 0, three channels: joint normalisation, OpenCV BGR weights (channel 0 = blue)")
    func threeChannelsAsImage() throws {
        // Pixel 0 is (c0, c1, c2) = (0, 0, 1) → (0, 0, 255) → gray 76; pixel 1 is (1, 0, 0) → (255, 0, 0) → 29.
        let values: [Float] = [0, 1, 0, 0, 1, 0]
        let drawn = try Visualizer.drawFeatmap(values, shape: [3, 1, 2], channelReduction: .none, topk: 0)
        #expect(Self.pixels(drawn) == Self.jet([76, 29]))
        // One channel with topk 0 is the plain heatmap.
        let single = try Visualizer.drawFeatmap(Self.ramp, shape: [1, 2, 2], channelReduction: .none, topk: -3)
        #expect(Self.pixels(single) == [[0, 0, 128], [0, 212, 255], [255, 212, 0], [128, 0, 0]])
    }

    @Test("a constant map is all LUT[0], no division by zero")
    func constantMap() throws {
        let drawn = try Visualizer.drawFeatmap(try NDArray(repeating: Float(7), shape: [2, 5, 5]))
        #expect(drawn.width == 5 && drawn.height == 5)
        #expect(Self.pixels(drawn).allSatisfy { $0 == [0, 0, 128] })
    }

    @Test("any numeric dtype: float64 and integer maps give the float32 result")
    func dtypes() throws {
        let expected = try Visualizer.drawFeatmap(Self.ramp, shape: [1, 2, 2])
        #expect(try Visualizer.drawFeatmap([0.0, 1, 2, 3] as [Double], shape: [1, 2, 2]) == expected)
        #expect(try Visualizer.drawFeatmap([0, 1, 2, 3] as [Int32], shape: [1, 2, 2]) == expected)
        #expect(try Visualizer.drawFeatmap([0, 1, 2, 3] as [UInt8], shape: [1, 2, 2]) == expected)
        #expect(try Visualizer.drawFeatmap(try NDArray([0, 1, 2, 3] as [Int64], shape: [1, 2, 2])) == expected)
    }

    @Test("other colormaps are selectable", arguments: [Colormap.viridis, .magma, .gray, .jet])
    func colormaps(_ colormap: Colormap) throws {
        let drawn = try Visualizer.drawFeatmap(Self.ramp, shape: [1, 2, 2], colormap: colormap)
        let expected = [UInt8(0), 85, 170, 255].map { let c = colormap.color(at: $0); return [c.red, c.green, c.blue] }
        #expect(Self.pixels(drawn) == expected)
    }

    @Test("ChannelReduction parses MMEngine's strings; nil is none")
    func parsing() throws {
        #expect(try ChannelReduction(parsing: "squeeze_mean") == .squeezeMean)
        #expect(try ChannelReduction(parsing: "select_max") == .selectMax)
        #expect(try ChannelReduction(parsing: "none") == ChannelReduction.none)
        #expect(try ChannelReduction(parsing: nil) == ChannelReduction.none)
        #expect(throws: FeatmapError.unsupportedReduction("max")) { try ChannelReduction(parsing: "max") }
        #expect(throws: FeatmapError.unsupportedReduction("Squeeze_Mean")) { try ChannelReduction(parsing: "Squeeze_Mean") }
    }

    // MARK: - grid

    @Test("the grid ranks channels by sum, lower index first on ties, and labels each cell")
    func gridOrderAndLabels() throws {
        // Channel 0 and 2 tie (sum 6) with different patterns, channel 1 is the largest (sum 40), channel 3 the
        // smallest. Cells are 40×60 so labels fit. (PyTorch's topk happens to put 2 before 0 here; its tie order
        // is unspecified, ours is documented: lower index first.)
        let planes: [[Float]] = [
            [0, 1, 2, 3], [10, 10, 10, 10], [3, 2, 1, 0], [-1, -1, -1, -2],
        ]
        let flat = planes.flatMap { $0 }
        let drawn = try Visualizer.drawFeatmap(
            flat, shape: [4, 2, 2], channelReduction: .none, topk: 3, arrangement: (2, 2), resizeShape: (40, 60))
        #expect(drawn.width == 120 && drawn.height == 80)
        let heat = { (channel: Int) in
            try Visualizer.drawFeatmap(planes[channel], shape: [1, 2, 2], resizeShape: (40, 60))
        }
        // Away from the label (rows 20+), each cell is exactly the channel's own heatmap.
        for (cell, channel) in [1, 0, 2].enumerated() {
            let (x, y) = ((cell % 2) * 60, (cell / 2) * 40)
            let expected = try heat(channel).cropped(x: 0, y: 20, width: 60, height: 20)
            #expect(try drawn.cropped(x: x, y: y + 20, width: 60, height: 20) == expected, "cell \(cell)")
            // The label is dark ink near (2.5, 15.5) from the cell's corner.
            let label = try drawn.cropped(x: x + 3, y: y + 5, width: 40, height: 11)
            #expect(label.pixels.contains(0) || label.pixels.contains { $0 < 40 }, "cell \(cell) has a label")
        }
        // The fourth cell is white beyond the reach of the third cell's label ("channel: 2" ends near x = 76).
        let empty = try drawn.cropped(x: 80, y: 40, width: 40, height: 40)
        #expect(empty.pixels.allSatisfy { $0 == 255 })
    }

    @Test("label spills into empty cells are solid black (MMEngine's transparent canvas)")
    func labelSpills() throws {
        let drawn = try Visualizer.drawFeatmap(
            Self.ramp, shape: [1, 2, 2], channelReduction: .none, topk: 1, arrangement: (1, 4), resizeShape: (20, 10))
        #expect(drawn.width == 40 && drawn.height == 20)
        let spill = try drawn.cropped(x: 10, y: 0, width: 30, height: 20)
        let samples = Set(spill.pixels)
        #expect(samples == [0, 255], "only white and solid black in the empty cells")
    }

    // MARK: - MMEngine's output shapes

    struct ShapeCase: CustomTestStringConvertible, Sendable {
        let label: String
        let featmap: [Int]
        let image: (height: Int, width: Int, gray: Bool)?
        let reduction: ChannelReduction
        let topk: Int
        let arrangement: (Int, Int)
        let resize: (Int, Int)?
        let output: (height: Int, width: Int)
        let warns: Bool
        var testDescription: String { label }
    }

    static let shapeCases: [ShapeCase] = [
        .init(label: "(8,7,7) default", featmap: [8, 7, 7], image: nil, reduction: .squeezeMean, topk: 20,
              arrangement: (4, 5), resize: nil, output: (7, 7), warns: false),
        .init(label: "(8,7,7) select_max", featmap: [8, 7, 7], image: nil, reduction: .selectMax, topk: 20,
              arrangement: (4, 5), resize: nil, output: (7, 7), warns: false),
        .init(label: "(8,7,7) + img224", featmap: [8, 7, 7], image: (224, 224, false), reduction: .squeezeMean,
              topk: 20, arrangement: (4, 5), resize: nil, output: (224, 224), warns: true),
        .init(label: "(8,7,7) resize (32,48)", featmap: [8, 7, 7], image: nil, reduction: .squeezeMean, topk: 20,
              arrangement: (4, 5), resize: (32, 48), output: (32, 48), warns: false),
        .init(label: "(8,7,7) resize (32,48) + img224", featmap: [8, 7, 7], image: (224, 224, false),
              reduction: .squeezeMean, topk: 20, arrangement: (4, 5), resize: (32, 48), output: (32, 48), warns: true),
        .init(label: "(8,7,7) none topk 4 (2,2)", featmap: [8, 7, 7], image: nil, reduction: .none, topk: 4,
              arrangement: (2, 2), resize: nil, output: (14, 14), warns: false),
        .init(label: "(8,7,7) + img224 none topk 4 (2,2)", featmap: [8, 7, 7], image: (224, 224, false),
              reduction: .none, topk: 4, arrangement: (2, 2), resize: nil, output: (448, 448), warns: true),
        .init(label: "(8,7,7) none default topk 20 (4,5)", featmap: [8, 7, 7], image: nil, reduction: .none,
              topk: 20, arrangement: (4, 5), resize: nil, output: (28, 35), warns: false),
        .init(label: "(8,7,7) + img224 none topk 5 (2,3)", featmap: [8, 7, 7], image: (224, 224, false),
              reduction: .none, topk: 5, arrangement: (2, 3), resize: nil, output: (448, 672), warns: true),
        .init(label: "(8,7,7) none topk 4 (1,4) resize (14,14)", featmap: [8, 7, 7], image: nil, reduction: .none,
              topk: 4, arrangement: (1, 4), resize: (14, 14), output: (14, 56), warns: false),
        .init(label: "(3,7,7) none topk 10 (4,5)", featmap: [3, 7, 7], image: nil, reduction: .none, topk: 10,
              arrangement: (4, 5), resize: nil, output: (28, 35), warns: false),
        .init(label: "(3,7,7) none topk 0", featmap: [3, 7, 7], image: nil, reduction: .none, topk: 0,
              arrangement: (4, 5), resize: nil, output: (7, 7), warns: false),
        .init(label: "(1,7,7) none topk 0", featmap: [1, 7, 7], image: nil, reduction: .none, topk: 0,
              arrangement: (4, 5), resize: nil, output: (7, 7), warns: false),
        .init(label: "(3,7,7) + img224 none topk 0", featmap: [3, 7, 7], image: (224, 224, false), reduction: .none,
              topk: 0, arrangement: (4, 5), resize: nil, output: (224, 224), warns: true),
        .init(label: "(8,7,7) + gray 7x7", featmap: [8, 7, 7], image: (7, 7, true), reduction: .squeezeMean,
              topk: 20, arrangement: (4, 5), resize: nil, output: (7, 7), warns: false),
        .init(label: "(8,7,7) + gray 224 none topk 4 (2,2)", featmap: [8, 7, 7], image: (224, 224, true),
              reduction: .none, topk: 4, arrangement: (2, 2), resize: nil, output: (448, 448), warns: true),
        .init(label: "(8,224,224) + img224", featmap: [8, 224, 224], image: (224, 224, false),
              reduction: .squeezeMean, topk: 20, arrangement: (4, 5), resize: nil, output: (224, 224), warns: false),
        .init(label: "resize (10,12)", featmap: [8, 7, 7], image: nil, reduction: .squeezeMean, topk: 20,
              arrangement: (4, 5), resize: (10, 12), output: (10, 12), warns: false),
        .init(label: "(6,3,3) none topk 4 (2,2)", featmap: [6, 3, 3], image: nil, reduction: .none, topk: 4,
              arrangement: (2, 2), resize: nil, output: (6, 6), warns: false),
        .init(label: "(6,3,3) none topk 4 (1,4)", featmap: [6, 3, 3], image: nil, reduction: .none, topk: 4,
              arrangement: (1, 4), resize: nil, output: (3, 12), warns: false),
        .init(label: "(6,3,3) select_max topk 10 ignores topk", featmap: [6, 3, 3], image: nil, reduction: .selectMax,
              topk: 10, arrangement: (4, 5), resize: nil, output: (3, 3), warns: false),
    ]

    @Test("output shapes (as MMEngine's)", arguments: shapeCases)
    func outputShape(_ shape: ShapeCase) throws {
        let featmap = try Self.map(shape.featmap[0], shape.featmap[1], shape.featmap[2])
        let image = try shape.image.map { try Self.image($0.height, $0.width, layout: $0.gray ? .gray : .rgb) }
        let warnings = WarningLog()
        let drawn = try Visualizer.drawFeatmap(
            featmap, overlaidImage: image, channelReduction: shape.reduction, topk: shape.topk,
            arrangement: shape.arrangement, resizeShape: shape.resize, warningHandler: { warnings.append($0) })
        #expect(drawn.height == shape.output.height && drawn.width == shape.output.width)
        #expect(drawn.layout == .rgb)
        #expect(warnings.messages.count == (shape.warns ? 1 : 0))
    }

    @Test("(8,7,7) none default grid: cells 9-20 hold no heatmap, only white and label ink")
    func defaultGridEmptyCells() throws {
        let drawn = try Visualizer.drawFeatmap(try Self.map(8, 7, 7), channelReduction: .none)
        for index in 8..<20 {
            let cell = try drawn.cropped(x: (index % 5) * 7, y: (index / 5) * 7, width: 7, height: 7)
            #expect(Self.pixels(cell).allSatisfy { $0 == [255, 255, 255] || $0 == [0, 0, 0] }, "cell \(index + 1)")
        }
        // Some label ink does spill into them (labels are ~55 px wide on 7 px cells), in solid black.
        let spills = try drawn.cropped(x: 7, y: 7, width: 28, height: 21)
        #expect(spills.pixels.contains(0))
    }

    @Test("(8,7,7) + img224, topk 5 (2,3): the last cell is white")
    func lastCellWhite() throws {
        let drawn = try Visualizer.drawFeatmap(
            try Self.map(8, 7, 7), overlaidImage: try Self.image(224, 224), channelReduction: .none, topk: 5,
            arrangement: (2, 3), warningHandler: { _ in })
        let last = try drawn.cropped(x: 448, y: 224, width: 224, height: 224)
        #expect(last.pixels.allSatisfy { $0 == 255 })
    }

    @Test("the size warning names both sizes, as MMEngine's does")
    func warningText() throws {
        let warnings = WarningLog()
        _ = try Visualizer.drawFeatmap(
            try Self.map(8, 7, 7), overlaidImage: try Self.image(20, 30), warningHandler: { warnings.append($0) })
        #expect(warnings.messages == [
            "Since the spatial dimensions of overlaid_image: (20, 30) and featmap: (7, 7) are not same, the feature "
                + "map will be interpolated. This may cause mismatch problems !",
        ])
    }

    // MARK: - errors

    @Test("errors for everything MMEngine rejects, and for what it would mis-draw")
    func errors() throws {
        let map = try Self.map(3, 4, 4)
        #expect(throws: FeatmapError.invalidRank(shape: [4, 4])) {
            try Visualizer.drawFeatmap(try NDArray(repeating: Float(0), shape: [4, 4]))
        }
        #expect(throws: FeatmapError.invalidRank(shape: [1, 3, 4, 4])) {
            try Visualizer.drawFeatmap(try map.reshaped([1, 3, 4, 4]))
        }
        // The requested topk counts, before it is clamped to C.
        #expect(throws: FeatmapError.arrangementTooSmall(rows: 2, columns: 2, topk: 20)) {
            try Visualizer.drawFeatmap(map, channelReduction: .none, topk: 20, arrangement: (2, 2))
        }
        #expect(throws: FeatmapError.channelCountNotOneOrThree(channels: 8)) {
            try Visualizer.drawFeatmap(try Self.map(8, 7, 7), channelReduction: .none, topk: -1)
        }
        #expect(throws: FeatmapError.unsupportedOverlaidImage(layout: .rgba)) {
            try Visualizer.drawFeatmap(map, overlaidImage: try Self.image(4, 4, layout: .rgba))
        }
        var withNaN = map.toFloat32()
        withNaN[17] = .nan
        #expect(throws: FeatmapError.nonFiniteValues(argument: "featmap", index: 17)) {
            try Visualizer.drawFeatmap(withNaN, shape: [3, 4, 4])
        }
        #expect(throws: FeatmapError.nonFiniteValues(argument: "featmap", index: 0)) {
            try Visualizer.drawFeatmap([Double.infinity, 1, 2, 3], shape: [1, 2, 2])
        }
        // Finite values that overflow when the channels are summed.
        #expect(throws: FeatmapError.nonFiniteValues(argument: "featmap", index: nil)) {
            try Visualizer.drawFeatmap([Float](repeating: .greatestFiniteMagnitude, count: 8), shape: [2, 2, 2])
        }
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap([true, false, true, false], shape: [1, 2, 2]) }
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap([Float](), shape: [0, 2, 2]) }
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap(Self.ramp, shape: [1, 3, 2]) }
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap(map, resizeShape: (0, 5)) }
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap(map, resizeShape: (1 << 40, 1 << 40)) }
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap(map, alpha: .nan) }
        // Beyond 1e30 the Float blend would overflow (and every sample saturates long before).
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap(map, alpha: 1e39) }
        #expect(throws: FeatmapError.self) { try Visualizer.convertOverlayHeatmap(map, alpha: -1e31) }
        #expect(throws: FeatmapError.self) {
            try Visualizer.drawFeatmap(map, channelReduction: .none, topk: 2, arrangement: (0, 5))
        }
        #expect(throws: FeatmapError.self) {
            try Visualizer.drawFeatmap(map, channelReduction: .none, topk: 2, arrangement: (-2, -3))
        }
        // A grid too large to allocate is refused before any allocation.
        #expect(throws: FeatmapError.self) {
            try Visualizer.drawFeatmap(map, channelReduction: .none, topk: 1, arrangement: (100_000, 100_000))
        }
        #expect(throws: FeatmapError.self) { try Visualizer.drawFeatmap(map, overlaidImage: try Image(width: 0, height: 0)) }
        // Messages name the argument.
        #expect("\(FeatmapError.arrangementTooSmall(rows: 2, columns: 2, topk: 20))".contains("`arrangement`"))
        #expect("\(FeatmapError.channelCountNotOneOrThree(channels: 6))".contains("got 6"))
        #expect("\(FeatmapError.nonFiniteValues(argument: "featmap", index: 17))".contains("featmap"))
    }

    @Test("arguments ignored by a branch are not checked (as in MMEngine)")
    func ignoredArguments() throws {
        let map = try Self.map(3, 4, 4)
        // arrangement and topk only matter with no reduction and topk > 0.
        #expect(try Visualizer.drawFeatmap(map, topk: 50, arrangement: (1, 1)).width == 4)
        #expect(try Visualizer.drawFeatmap(map, channelReduction: .none, topk: 0, arrangement: (0, 0)).width == 4)
    }

    @Test("convertOverlayHeatmap: MMEngine's heatmap helper")
    func heatmapHelper() throws {
        let map = try NDArray([[0, 1], [2, 3]])
        #expect(Self.pixels(try Visualizer.convertOverlayHeatmap(map)) == [[0, 0, 128], [0, 212, 255], [255, 212, 0], [128, 0, 0]])
        let image = try #require(Self.uniform100)
        #expect(Self.pixels(try Visualizer.convertOverlayHeatmap(map, overlaidImage: image, alpha: 0.3))
            == [[70, 70, 108], [70, 134, 146], [146, 134, 70], [108, 70, 70]])
        #expect(throws: FeatmapError.self) { try Visualizer.convertOverlayHeatmap(try NDArray(repeating: 1.0, shape: [2, 2, 2])) }
        #expect(throws: FeatmapError.self) {
            try Visualizer.convertOverlayHeatmap(map, overlaidImage: try Self.image(3, 3))
        }
    }
}
