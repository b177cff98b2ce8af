import Foundation
import Testing
import VisTestSupport
import Visualization

@Suite("Visualizer.drawTexts")
struct VisualizerTextsTests {
    @Test("MMEngine's accepted forms: 1-D and N×2 positions, tuple and list colours, a background dict")
    func acceptedForms() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawTexts(["test"], at: [5, 5])
            .drawTexts(["test", "test2"], at: [[5, 5], [3, 3]], colors: .all(Color(red: 255, green: 0, blue: 0)))
            .drawTexts(["test", "test2"], at: [[5, 5], [3, 3]], colors: ["r", .init(red: 0, green: 0, blue: 255)])
            .drawTexts(["test"], at: [5, 5], backgrounds: .all(TextBackground(faceColor: "r", alpha: 0.6)))
        #expect(recorder.messages.isEmpty)
    }

    @Test("An anchor outside the image warns 'The text is out of bounds'")
    func outOfBounds() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawTexts(["test"], at: [15, 5])
        #expect(recorder.messages == [DrawingFixture.outOfBounds("text")])
    }

    @Test("Texts and positions must match one to one; short style lists are errors")
    func countRules() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        let two = "an N×2 array of (x, y) with N = 2, one row per text"
        #expect(throws: VisualizerError.invalidArgument(argument: "positions", expected: two, actual: "1 positions")) {
            try visualizer.drawTexts(["a", "b"], at: [5, 5])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "positions", expected: "an N×2 array of (x, y) with N = 1, one row per text",
                actual: "2 positions")
        ) {
            try visualizer.drawTexts(["a"], at: [[5, 5], [5, 5]])
        }
        let expected = "one value for all or a list of at least 2 (one per item)"
        let positions = [[5.0, 5], [3, 3]]
        #expect(throws: VisualizerError.invalidArgument(argument: "colors", expected: expected, actual: "a list of 1"))
        {
            try visualizer.drawTexts(["a", "b"], at: positions, colors: ["r"])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "verticalAlignments", expected: expected, actual: "a list of 1")
        ) {
            try visualizer.drawTexts(["a", "b"], at: positions, verticalAlignments: [.top])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "horizontalAlignments", expected: expected, actual: "a list of 1")
        ) {
            try visualizer.drawTexts(["a", "b"], at: positions, horizontalAlignments: [.left])
        }
        #expect(
            throws: VisualizerError.invalidArgument(argument: "fontSizes", expected: expected, actual: "a list of 1")
        ) {
            try visualizer.drawTexts(["a", "b"], at: positions, fontSizes: [10])
        }
        #expect(
            throws: VisualizerError.invalidArgument(argument: "backgrounds", expected: expected, actual: "a list of 1")
        ) {
            try visualizer.drawTexts(["a", "b"], at: positions, backgrounds: [TextBackground()])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "fontSizes[0]", expected: "a size in points, > 0 and at most 1000.0", actual: "0.0")
        ) {
            try visualizer.drawTexts(["a"], at: [5, 5], fontSizes: 0)
        }
        #expect {
            try visualizer.drawTexts(["a"], at: [5, 5], backgrounds: .all(TextBackground(faceColor: "nonsense")))
        } throws: { error in
            guard case VisualizerError.invalidArgument(let argument, _, _) = error else { return false }
            return argument == "backgrounds[0].faceColor"
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "bboxes.pad", expected: "a finite padding in points, at least 0", actual: "-1.0")
        ) {
            try visualizer.drawTexts(["a"], at: [5, 5], backgrounds: .all(TextBackground(padPoints: -1)))
        }
    }

    @Test("A missing font file is a VisDrawError naming it")
    func missingFont() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        #expect(throws: VisDrawError.fontFileNotFound(path: "/nonexistent/font.ttf")) {
            try visualizer.drawTexts(["a"], at: [1, 1], fonts: .all(.file("/nonexistent/font.ttf")))
        }
    }

    @Test("The default size is MMEngine's: text on a 1000×1000 image is 11 pt, the same as an explicit 11")
    func defaultSize() throws {
        func draw(_ sizes: PerItem<Double>?) throws -> Image {
            let (visualizer, _) = try DrawingFixture.visualizer(width: 1000, height: 1000)
            try visualizer.drawTexts(["Hello"], at: [100, 100], fontSizes: sizes)
            return try visualizer.getImage()
        }
        let implicit = try draw(nil)
        #expect(implicit == (try draw(11)))
        #expect(implicit != (try draw(10)))
    }

    @Test("Text is green by default, anchored top-left; alignments move it")
    func colourAndAnchor() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 200, height: 100, fill: [0, 0, 0])
        try visualizer.drawTexts(["MMM"], at: [100, 50], fontSizes: 20)
        let image = try visualizer.getImage()
        var inkBox = (minX: Int.max, minY: Int.max, maxX: Int.min, maxY: Int.min)
        for y in 0..<100 {
            for x in 0..<200 where image[x, y, 1] > 0 {
                #expect(image[x, y, 0] == 0 && image[x, y, 2] == 0, "green only")
                inkBox = (min(inkBox.minX, x), min(inkBox.minY, y), max(inkBox.maxX, x), max(inkBox.maxY, y))
            }
        }
        #expect(inkBox.minX >= 100 && inkBox.minX <= 103)
        #expect(inkBox.minY >= 50 && inkBox.minY <= 60)
        #expect(image.pixels.max() == 128, "'g' is drawn as (0, 128, 0)")

        let (right, _) = try DrawingFixture.visualizer(width: 200, height: 100, fill: [0, 0, 0])
        try right.drawTexts(
            ["MMM"], at: [100, 50], fontSizes: 20, verticalAlignments: .all(.bottom), horizontalAlignments: .all(.right)
        )
        let moved = try right.getImage()
        var maxX = 0
        var maxY = 0
        for y in 0..<100 {
            for x in 0..<200 where moved[x, y, 1] > 0 {
                maxX = max(maxX, x)
                maxY = max(maxY, y)
            }
        }
        #expect(maxX <= 100 && maxX >= 96)
        #expect(maxY <= 50 && maxY >= 40)
    }

    @Test("A background box: MMDetection's black label box at alpha 0.8 with no edge")
    func backgroundBox() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 200, height: 60, fill: [100, 100, 100])
        try visualizer.drawTexts(
            ["person"], at: [20, 20], colors: "w",
            backgrounds: .all(TextBackground(faceColor: "black", edgeColor: .none, alpha: 0.8, padPoints: 0.7)))
        let image = try visualizer.getImage()
        // Just inside the box's top-left corner (pad 0.7 pt ≈ 1 px above the text box): 0.2 · 100.
        #expect(Array(image[20, 20]) == [20, 20, 20])
        #expect(Array(image[5, 5]) == [100, 100, 100])
        #expect(image.pixels.max() == 255, "white text")
    }

    @Test("CJK text is drawn (with a fallback font that has the characters)")
    func cjk() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 120, height: 40, fill: [0, 0, 0])
        try visualizer.drawTexts(["猫 cat"], at: [5, 5], fontSizes: 16, colors: "w")
        let image = try visualizer.getImage()
        // The CJK glyph occupies the first ~20 px; if it were tofu or missing there would be an empty box or gap.
        let inkInGlyph = (5..<25).reduce(0) { sum, x in sum + (5..<30).filter { image[x, $0, 0] > 128 }.count }
        #expect(inkInGlyph > 40)
    }
}
