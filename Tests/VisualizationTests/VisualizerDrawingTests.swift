import Foundation
import Testing
import VisTestSupport
import Visualization

/// Collects a visualizer's warnings.
final class WarningRecorder: Sendable {
    private let recorded = Recorder<String>()

    var handler: VisualizerWarningHandler {
        { [self] message in recorded.append(message) }
    }

    var messages: [String] { recorded.values }
}

/// Shared fixtures of the drawing tests.
enum DrawingFixture {
    static let white = Color(red: 255, green: 255, blue: 255)

    /// A visualizer on a `width`×`height` image of one colour, with a warning recorder.
    static func visualizer(
        width: Int = 10, height: Int = 10, fill: [UInt8] = [255, 255, 255], rank: Int = 0
    ) throws -> (Visualizer, WarningRecorder) {
        let recorder = WarningRecorder()
        let image = try Image(width: width, height: height, layout: .rgb, fill: fill)
        let visualizer = try Visualizer(image: image, rank: rank, warningHandler: recorder.handler)
        return (visualizer, recorder)
    }

    /// A deterministic noisy RGB image.
    static func noise(width: Int, height: Int, seed: UInt32 = 7) throws -> Image {
        var state = seed
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
        return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// The pixels that differ between two images of one size.
    static func changedPixels(_ a: Image, _ b: Image) -> Int {
        (0..<(a.width * a.height)).filter { index in
            (0..<a.channels).contains { a.pixels[index * a.channels + $0] != b.pixels[index * b.channels + $0] }
        }.count
    }

    static func outOfBounds(_ kind: String) -> String {
        "Warning: The \(kind) is out of bounds, the drawn \(kind) may not be in the image"
    }
}

@Suite("Visualizer drawing: shared behaviour")
struct VisualizerDrawingTests {
    @Test("Drawing before setImage is a typed error")
    func noImage() throws {
        let visualizer = try Visualizer(name: "empty", rank: 0)
        #expect(throws: VisualizerError.noImage(visualizer: "empty")) {
            try visualizer.drawBoundingBoxes([[1, 1, 2, 2]])
        }
        #expect(throws: VisualizerError.noImage(visualizer: "empty")) { try visualizer.drawPoints([1, 1]) }
        #expect(throws: VisualizerError.noImage(visualizer: "empty")) { try visualizer.getImage() }
        #expect("\(VisualizerError.noImage(visualizer: "empty"))".contains("no image set: call setImage"))
    }

    @Test("getImage is bit-identical to the input when nothing is drawn, and a value")
    func valueSemantics() throws {
        let image = try DrawingFixture.noise(width: 31, height: 17)
        let visualizer = try Visualizer(image: image, rank: 0)
        let before = try visualizer.getImage()
        #expect(before == image)
        try visualizer.drawBoundingBoxes([2, 2, 20, 12], edgeColors: "r")
        #expect(before == image, "the earlier result must not change")
        let after = try visualizer.getImage()
        #expect(after != image)
        visualizer.setImage(image)
        #expect(try visualizer.getImage() == image, "setImage erases earlier drawings")
    }

    @Test("Every draw method chains, as MMEngine's test_chain_call")
    func chaining() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 20, height: 20)
        var mask = [[Bool]](repeating: [Bool](repeating: false, count: 20), count: 20)
        mask[5][5] = true
        let returned =
            try visualizer
            .drawBoundingBoxes([1, 1, 8, 8])
            .drawTexts(["a"], at: [2, 2])
            .drawLines(xData: [1, 8], yData: [1, 8])
            .drawCircles(centers: [10, 10], radii: [3])
            .drawPolygons([[1, 1], [5, 1], [3, 5]])
            .drawPoints([4, 4])
            .drawBinaryMasks(mask)
        #expect(returned === visualizer)
    }

    @Test("On a rank other than 0 every draw call is a no-op that returns the visualizer")
    func otherRanks() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer(width: 20, height: 20, rank: 1)
        let image = try visualizer.getImage()
        let returned =
            try visualizer
            .drawBoundingBoxes([[1, 1, 80, 8]])
            .drawTexts(["a"], at: [[200, 2]])
            .drawLines(xData: [1, 8], yData: [1, 8])
            .drawCircles(centers: [10, 10], radii: [3])
            .drawPolygons([[1, 1], [5, 1], [3, 5]])
            .drawPoints([4, 4])
            .drawBinaryMasks([[true]])  // a wrong shape is not even checked
        #expect(returned === visualizer)
        #expect(try visualizer.getImage() == image)
        #expect(recorder.messages.isEmpty)
        #expect(try visualizer.show(image: image) == .skipped)
    }

    @Test("The default font size follows MMEngine's samples")
    func defaultFontSize() throws {
        let samples: [(Int, Int, Double)] = [
            (10, 10, 10), (224, 224, 10), (900, 900, 10), (1000, 1000, 11), (1920, 1080, 16), (3000, 2000, 27),
        ]
        for (width, height, size) in samples {
            #expect(Visualizer.defaultFontSize(width: width, height: height) == size, "\(width)×\(height)")
        }
        let (visualizer, _) = try DrawingFixture.visualizer(width: 1920, height: 1080)
        #expect(try visualizer.defaultFontSize() == 16)
    }

    @Test("A gray image is replicated to RGB; RGBA keeps its alpha")
    func grayAndRGBA() throws {
        let gray = try Image(width: 4, height: 3, layout: .gray, pixels: Array(0..<12).map { UInt8($0 * 20) })
        let visualizer = try Visualizer(image: gray, rank: 0)
        let rgb = try visualizer.getImage()
        #expect(rgb.layout == .rgb && rgb == gray.converted(to: .rgb))
        let rgba = try Image(width: 4, height: 3, layout: .rgba, fill: [10, 20, 30, 128])
        visualizer.setImage(rgba)
        #expect(try visualizer.getImage() == rgba)
        try visualizer.drawBinaryMasks(
            [[Bool]](repeating: [true, false, false, false], count: 3),
            colors: .each([.rgb(Color(red: 255, green: 0, blue: 0))]), alphas: 0.5)
        let drawn = try visualizer.getImage()
        #expect(Array(drawn[0, 0]) == [132, 10, 15, 128])
        #expect(Array(drawn[1, 0]) == [10, 20, 30, 128])
    }

    @Test("A style list shorter than the items is an error naming the argument; a longer one is fine")
    func lengthRule() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 20, height: 20)
        let boxes = [[1.0, 1, 5, 5], [6, 6, 9, 9]]
        let expected = "one value for all or a list of at least 2 (one per item)"
        #expect(
            throws: VisualizerError.invalidArgument(argument: "edgeColors", expected: expected, actual: "a list of 1")
        ) {
            try visualizer.drawBoundingBoxes(boxes, edgeColors: ["r"])
        }
        #expect(
            throws: VisualizerError.invalidArgument(argument: "lineWidths", expected: expected, actual: "a list of 1")
        ) {
            try visualizer.drawBoundingBoxes(boxes, lineWidths: [1])
        }
        #expect(
            throws: VisualizerError.invalidArgument(argument: "lineStyles", expected: expected, actual: "a list of 1")
        ) {
            try visualizer.drawBoundingBoxes(boxes, lineStyles: [.dashed])
        }
        #expect(
            throws: VisualizerError.invalidArgument(argument: "faceColors", expected: expected, actual: "a list of 0")
        ) {
            try visualizer.drawBoundingBoxes(boxes, faceColors: [])
        }
        try visualizer.drawBoundingBoxes(boxes, edgeColors: ["r", "g", "b"], lineWidths: [1, 2, 3])
    }

    @Test("Invalid colour literals and out-of-range alphas are typed errors")
    func invalidStyling() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        let image = try visualizer.getImage()
        #expect {
            try visualizer.drawBoundingBoxes([1, 1, 5, 5], edgeColors: "not-a-colour")
        } throws: { error in
            guard case VisualizerError.invalidArgument(let argument, _, _) = error else { return false }
            return argument == "edgeColors[0]"
        }
        #expect {
            try visualizer.drawPolygons(
                [[[1, 1], [5, 1], [3, 5]], [[1, 1], [2, 2], [1, 2]]], faceColors: ["r", "bogus"], alpha: 1)
        } throws: { error in
            guard case VisualizerError.invalidArgument(let argument, _, _) = error else { return false }
            return argument == "faceColors[1]"
        }
        #expect(
            throws: VisualizerError.invalidArgument(argument: "alpha", expected: "a number in 0...1", actual: "1.5")
        ) {
            try visualizer.drawCircles(centers: [5, 5], radii: [2], alpha: 1.5)
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "lineWidths[0]", expected: "a finite width in points, at least 0", actual: "-1.0")
        ) {
            try visualizer.drawLines(xData: [1, 5], yData: [1, 5], lineWidths: -1)
        }
        #expect(try visualizer.getImage() == image, "nothing is drawn when an argument is rejected")
    }

    @Test("Nested arrays, NDArray, Float and Int inputs draw the same")
    func inputForms() throws {
        var images: [Image] = []
        let inputs: [any NDArrayConvertible] = [
            [[2.0, 3, 15, 12]], [2.0, 3, 15, 12], [[2, 3, 15, 12]] as [[Int]], [[2, 3, 15, 12]] as [[Float]],
            try NDArray([[2, 3, 15, 12]]), try NDArray([Int32]([2, 3, 15, 12]), shape: [1, 4]),
        ]
        for input in inputs {
            let (visualizer, _) = try DrawingFixture.visualizer(width: 20, height: 20)
            try visualizer.drawBoundingBoxes(input, edgeColors: "r")
            images.append(try visualizer.getImage())
        }
        #expect(Set(images).count == 1)
        let (visualizer, _) = try DrawingFixture.visualizer(width: 20, height: 20)
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "boxes", expected: "a rectangular nested array (rows of equal length)",
                actual: "rows of different lengths")
        ) {
            try visualizer.drawBoundingBoxes([[1.0, 2, 3, 4], [1, 2, 3]])
        }
    }

    @Test("Drawing from many threads at once keeps every call")
    func concurrentDrawing() async throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 64, height: 64, fill: [0, 0, 0])
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let x = Double(index % 4) * 16 + 2
                    let y = Double(index / 4) * 16 + 2
                    _ = try? visualizer.drawBoundingBoxes(
                        [x, y, x + 10, y + 10], edgeColors: "w", faceColors: "w", alpha: 1)
                }
            }
        }
        let image = try visualizer.getImage()
        for index in 0..<16 {
            let x = (index % 4) * 16 + 7
            let y = (index / 4) * 16 + 7
            #expect(Array(image[x, y]) == [255, 255, 255])
        }
    }
}
