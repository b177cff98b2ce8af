import Foundation
import Testing
import VisTestSupport
import Visualization

@Suite("Visualizer.drawBinaryMasks")
struct VisualizerMasksTests {
    /// OpenCV's `addWeighted(p, 1 − α, c, α, 0)` for uint8, as MMEngine blends masks.
    static func blend(_ pixel: UInt8, _ color: UInt8, alpha: Double) -> UInt8 {
        let value = (Float(color) * Float(alpha)).addingProduct(Float(pixel), Float(1 - alpha))
        return UInt8(min(max(value.rounded(.toNearestOrEven), 0), 255))
    }

    @Test("Pixel-exact: inside round((1−α)·p + α·c), outside unchanged, masks one after another")
    func pixelExact() throws {
        let image = try DrawingFixture.noise(width: 23, height: 17)
        let visualizer = try Visualizer(image: image, rank: 0)
        var first = [[Bool]](repeating: [Bool](repeating: false, count: 23), count: 17)
        var second = first
        for y in 0..<17 {
            for x in 0..<23 {
                first[y][x] = (x + y) % 3 == 0
                second[y][x] = x > 10
            }
        }
        try visualizer.drawBinaryMasks(
            [first, second], colors: ["r", .rgb(Color(red: 10, green: 200, blue: 77))], alphas: [0.3, 0.65])
        let drawn = try visualizer.getImage()
        for y in 0..<17 {
            for x in 0..<23 {
                var expected = Array(image[x, y])
                if first[y][x] { expected = zip(expected, [255, 0, 0]).map { Self.blend($0, $1, alpha: 0.3) } }
                if second[y][x] { expected = zip(expected, [10, 200, 77]).map { Self.blend($0, $1, alpha: 0.65) } }
                #expect(Array(drawn[x, y]) == expected, "(\(x), \(y))")
            }
        }
    }

    @Test("The blend rounds as OpenCV 5 does (values measured with cv2.addWeighted)")
    func openCVRounding() throws {
        // (p, c, α, cv2 result): a Double formula with round-half-even gives 28, 52, 11, 6, 31 instead.
        let measured: [(UInt8, UInt8, Double, UInt8)] = [
            (0, 95, 0.3, 29), (0, 175, 0.3, 53), (1, 36, 0.3, 12), (1, 6, 0.9, 5), (0, 45, 0.7, 32), (1, 36, 0.7, 25),
            (0, 255, 0.5, 128), (100, 0, 0.8, 20),
        ]
        for (pixel, color, alpha, result) in measured {
            let visualizer = try Visualizer(
                image: try Image(width: 1, height: 1, layout: .rgb, fill: [pixel, pixel, pixel]), rank: 0)
            try visualizer.drawBinaryMasks(
                [[true]], colors: .all(.rgb(Color(red: color, green: color, blue: color))), alphas: .all(alpha))
            #expect(try visualizer.getImage()[0, 0, 0] == result, "p=\(pixel) c=\(color) α=\(alpha)")
        }
    }

    @Test("Colour strings truncate as color_str2rgb: 'g' fills with (0, 127, 0)")
    func truncatingColours() throws {
        let visualizer = try Visualizer(image: try Image(width: 2, height: 1, layout: .rgb, fill: [0, 0, 0]), rank: 0)
        try visualizer.drawBinaryMasks([[true, false]], alphas: 1)
        #expect(Array(try visualizer.getImage()[0, 0]) == [0, 127, 0])
        #expect(try MaskColor.named("orange").resolved(argument: "c") == Color(red: 255, green: 165, blue: 0))
        #expect(try MaskColor.named("c").resolved(argument: "c") == Color(red: 0, green: 191, blue: 191))
    }

    @Test("One mask rule: any non-zero value is inside, so 0/1 and 0/255 uint8, integer and float masks draw like bool")
    func maskTypes() throws {
        let image = try DrawingFixture.noise(width: 4, height: 2)
        let pattern = [true, false, true, false, false, true, true, false]
        let boolMask = try NDArray(pattern, shape: [2, 4])
        let reference = try Visualizer(image: image, rank: 0)
        try reference.drawBinaryMasks(boolMask, colors: "b")
        #expect(try reference.getImage() != image)
        let others: [NDArray] = [
            try NDArray(pattern.map { UInt8($0 ? 1 : 0) }, shape: [2, 4]),
            try NDArray(pattern.map { UInt8($0 ? 255 : 0) }, shape: [2, 4]),
            try NDArray(pattern.map { Int64($0 ? 7 : 0) }, shape: [2, 4]),
            try NDArray(pattern.map { $0 ? 0.5 : 0.0 }, shape: [2, 4]),
        ]
        for mask in others {
            let visualizer = try Visualizer(image: image, rank: 0)
            try visualizer.drawBinaryMasks(mask, colors: "b")
            #expect(try visualizer.getImage() == reference.getImage(), "\(mask.dtype)")
            // The data sample reads the same array to the same bits.
            #expect(try InstanceMasks(mask).bits == pattern, "\(mask.dtype)")
        }
        let nested = try Visualizer(image: image, rank: 0)
        try nested.drawBinaryMasks([[1, 0, 1, 0], [0, 1, 1, 0]], colors: "b")
        #expect(try nested.getImage() == reference.getImage())
    }

    @Test("Masks must have the image's size; colour and alpha lists must cover every mask")
    func shapeRules() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        let image = try visualizer.getImage()
        let expected = "masks of the image's size 10×10 (H×W)"
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "masks", expected: expected, actual: "an array of shape [8, 10]")
        ) {
            try visualizer.drawBinaryMasks([[Bool]](repeating: [Bool](repeating: true, count: 10), count: 8))
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "masks", expected: "an N×H×W or H×W array", actual: "an array of shape [1, 10, 10, 3]")
        ) {
            try visualizer.drawBinaryMasks(try NDArray(repeating: true, shape: [1, 10, 10, 3]))
        }
        let two = try NDArray(repeating: true, shape: [2, 10, 10])
        let short = "one value for all or a list of at least 2 (one per item)"
        #expect(throws: VisualizerError.invalidArgument(argument: "alphas", expected: short, actual: "a list of 1")) {
            try visualizer.drawBinaryMasks(two, colors: ["r", "b"], alphas: [0.5])
        }
        #expect(throws: VisualizerError.invalidArgument(argument: "colors", expected: short, actual: "a list of 1")) {
            try visualizer.drawBinaryMasks(two, colors: ["r"])
        }
        #expect(
            throws: VisualizerError.invalidArgument(argument: "alphas[0]", expected: "a number in 0...1", actual: "2.0")
        ) {
            try visualizer.drawBinaryMasks(two, alphas: 2)
        }
        #expect {
            try visualizer.drawBinaryMasks(two, colors: ["r", "nonsense"])
        } throws: { error in
            guard case VisualizerError.invalidArgument(let argument, _, _) = error else { return false }
            return argument == "colors[1]"
        }
        #expect(try visualizer.getImage() == image)
        // MMEngine's accepted forms: one 10×10 mask, and 2×10×10 with two colours.
        try visualizer.drawBinaryMasks(try NDArray(repeating: true, shape: [10, 10]))
            .drawBinaryMasks(two, colors: ["r", .rgb(Color(red: 0, green: 255, blue: 0))])
    }

    @Test("Masks blend over earlier drawings, and later drawings land on top")
    func ordering() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 20, height: 20, fill: [0, 0, 0])
        try visualizer.drawBoundingBoxes([2, 2, 18, 18], edgeColors: .all(.none), faceColors: "w", alpha: 1)
        try visualizer.drawBinaryMasks(
            try NDArray(repeating: true, shape: [20, 20]), colors: .all(.rgb(Color(red: 0, green: 0, blue: 0))),
            alphas: 0.5)
        #expect(Array(try visualizer.getImage()[10, 10]) == [128, 128, 128])
        try visualizer.drawBoundingBoxes([2, 2, 18, 18], edgeColors: .all(.none), faceColors: "w", alpha: 1)
        #expect(Array(try visualizer.getImage()[10, 10]) == [255, 255, 255])
    }
}
