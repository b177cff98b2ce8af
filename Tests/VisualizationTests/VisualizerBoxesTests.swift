import Foundation
import Testing
import VisTestSupport
import Visualization

@Suite("Visualizer.drawBoundingBoxes")
struct VisualizerBoxesTests {
    @Test("MMEngine's accepted forms: 1-D box, degenerate box, N×4 with alpha, tuple colour, line style")
    func acceptedForms() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawBoundingBoxes([1, 1, 2, 2])
            .drawBoundingBoxes([1, 1, 1, 2])
            .drawBoundingBoxes([[1, 1, 2, 2], [1, 2, 2, 2.5]], alpha: 0.5)
            .drawBoundingBoxes(
                [1, 1, 2, 2], edgeColors: .all(Color(red: 255, green: 255, blue: 0)), lineStyles: .all(.dashed)
            )
            .drawBoundingBoxes([[Double]]())
        #expect(recorder.messages.isEmpty)
    }

    @Test("x1 > x2 or y1 > y2 and wrong shapes are typed errors naming the argument")
    func invalidBoxes() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "boxes[0]", expected: "x1 <= x2 and y1 <= y2", actual: "(2.0, 1.0, 1.0, 2.0)")
        ) {
            try visualizer.drawBoundingBoxes([2, 1, 1, 2])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "boxes[1]", expected: "x1 <= x2 and y1 <= y2", actual: "(1.0, 3.0, 2.0, 2.0)")
        ) {
            try visualizer.drawBoundingBoxes([[1, 1, 2, 2], [1, 3, 2, 2]])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "boxes", expected: "an N×4 array of (x1, y1, x2, y2)", actual: "an array of shape [2, 3]")
        ) {
            try visualizer.drawBoundingBoxes([[1, 1, 2], [1, 1, 2]])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "boxes", expected: "finite coordinates", actual: "nan in row 0")
        ) {
            try visualizer.drawBoundingBoxes([1, .nan, 2, 2])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "boxes", expected: "an N×4 array of (x1, y1, x2, y2)", actual: "a bool array")
        ) {
            try visualizer.drawBoundingBoxes([true, false, true, true])
        }
    }

    @Test("A corner outside the image (strictly: x2 == width) warns once, with MMEngine's text, and is clipped")
    func outOfBounds() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawBoundingBoxes([1, 1, 20, 2])
        #expect(recorder.messages == [DrawingFixture.outOfBounds("bbox")])
        try visualizer.drawBoundingBoxes([0, 0, 10, 10])
        #expect(recorder.messages.count == 2)
        try visualizer.drawBoundingBoxes([0, 0, 9.99, 9.99])
        #expect(recorder.messages.count == 2)
        #expect(try visualizer.getImage().width == 10)
    }

    @Test("A filled box covers its area exactly: alpha 1, face and edge the same colour")
    func filledArea() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 40, height: 30, fill: [0, 0, 0])
        // A 1 pt (1.39 px, odd when rounded) outline: matplotlib snaps the corners to pixel centres, so the box
        // is (10.5, 5.5)–(30.5, 25.5) and the outline covers ±0.69 px around those lines.
        try visualizer.drawBoundingBoxes(
            [10, 5, 30, 25], edgeColors: "w", lineWidths: 1, faceColors: "w", alpha: 1)
        let image = try visualizer.getImage()
        var full = 0
        for y in 0..<30 {
            for x in 0..<40 where image[x, y, 0] == 255 { full += 1 }
        }
        // Columns 10...30 and rows 5...25 are fully covered (face or outline): 21 × 21.
        #expect(full == 441)
        #expect(abs(Int(image[9, 15, 0]) - 50) <= 1, "the outline reaches 0.19 px into column 9")
        #expect(image[8, 15, 0] == 0)
    }

    @Test("Widths are points clamped to min(max(w, 1), fontSize / 4): 3 pt draws as 2.5 pt on a small image")
    func widthClamp() throws {
        func inkWidth(_ points: Double, imageSide: Int) throws -> Double {
            let (visualizer, _) = try DrawingFixture.visualizer(width: imageSide, height: imageSide, fill: [0, 0, 0])
            let side = Double(imageSide)
            try visualizer.drawBoundingBoxes(
                [side / 4, side / 4, side * 3 / 4, side * 3 / 4], edgeColors: "w", lineWidths: .all(points), alpha: 1)
            let image = try visualizer.getImage()
            // The coverage along a row through the left edge, away from the corners.
            return (0..<(imageSide / 2)).reduce(0.0) { $0 + Double(image[$1, imageSide / 2, 0]) / 255 }
        }
        let ppt = 100.0 / 72.0
        #expect(abs(try inkWidth(3, imageSide: 100) - 2.5 * ppt) < 0.02)
        #expect(abs(try inkWidth(10, imageSide: 100) - 2.5 * ppt) < 0.02)
        #expect(abs(try inkWidth(2, imageSide: 100) - 2 * ppt) < 0.02)
        #expect(abs(try inkWidth(0.2, imageSide: 100) - 1 * ppt) < 0.02)
        // A 1800×1800 image has font size 20: widths up to 5 pt are kept.
        #expect(abs(try inkWidth(4, imageSide: 1800) - 4 * ppt) < 0.02)
    }

    @Test("Edges have round joins: the outer corner pixel is partly covered")
    func roundJoins() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 40, height: 40, fill: [0, 0, 0])
        try visualizer.drawBoundingBoxes([10, 10, 30, 30], edgeColors: "w", lineWidths: 3, alpha: 1)
        let image = try visualizer.getImage()
        // 3 pt is clamped to 2.5 pt = 3.47 px (odd when rounded: corners snap to (10.5, 10.5)), reaching out to
        // 8.76. A mitred corner would cover pixel (9, 9) fully; the round join's arc of radius 1.74 around
        // (10.5, 10.5) covers 0.84 of it.
        #expect(abs(Int(image[9, 9, 0]) - 213) <= 3, "\(image[9, 9, 0])")
        #expect(image[9, 20, 0] == 255)
        #expect(image[8, 8, 0] == 0)
    }

    @Test("A box outline is the round-join stroke of the snapped box, with the clamped width and alpha")
    func analyticOutlineMatchesStroker() throws {
        var state: UInt32 = 99
        func unit() -> Double {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Double(state >> 8) / Double(1 << 24)
        }
        for trial in 0..<40 {
            // A 1800×1800 image (font size 20) allows widths up to 5 pt; 80×80 clamps at 2.5 pt. Boxes may leave
            // the image on the top and left.
            let side = trial % 20 == 19 ? 1800 : 80
            let x1 = unit() * 70 - 10
            let y1 = unit() * 70 - 10
            let box = [x1, y1, x1 + 3 + unit() * 40, y1 + 3 + unit() * 40]
            let points = 0.5 + unit() * 5
            let (visualizer, _) = try DrawingFixture.visualizer(width: side, height: side, fill: [30, 60, 90])
            try visualizer.drawBoundingBoxes(box, edgeColors: "w", lineWidths: .all(points), alpha: 0.8)
            let analytic = try visualizer.getImage()
            var canvas = Canvas(image: try Image(width: side, height: side, layout: .rgb, fill: [30, 60, 90]))
            let width = min(max(points, 1), Visualizer.defaultFontSize(width: side, height: side) / 4) * 100 / 72
            // matplotlib's snapping (see the README): corners to floor(v·(S + 0.01)/S + 0.5) + s, s = 0.5 for an
            // odd rounded width (y also moves by −0.01 before rounding).
            let offset = Int(width.rounded(.toNearestOrAwayFromZero)) % 2 == 1 ? 0.5 : 0
            let scale = (Double(side) + 0.01) / Double(side)
            let snapX = { (x: Double) in (x * scale + 0.5).rounded(.down) + offset }
            let snapY = { (y: Double) in (y * scale - 0.01 + 0.5).rounded(.down) + offset }
            let (left, top, right, bottom) = (snapX(box[0]), snapY(box[1]), snapX(box[2]), snapY(box[3]))
            try canvas.stroke(
                Path.polygon([Point(left, top), Point(right, top), Point(right, bottom), Point(left, bottom)]),
                style: StrokeStyle(lineWidth: width, join: .round, cap: .butt), color: "w", opacity: 0.8)
            var difference = 0
            for y in 0..<80 {
                for x in 0..<80 {
                    for channel in 0..<3 {
                        difference = max(
                            difference, abs(Int(analytic[x, y, channel]) - Int(canvas.image[x, y, channel])))
                    }
                }
            }
            #expect(difference <= 2, "box \(box), width \(points) pt: max difference \(difference)")
        }
    }

    @Test("Alpha 0.8 applies to edges and faces; the default 'g' is (0, 128, 0)")
    func alphaAndDefaultColour() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 40, height: 40, fill: [0, 0, 0])
        try visualizer.drawBoundingBoxes([5, 5, 35, 35], lineWidths: 3, faceColors: "w")
        let image = try visualizer.getImage()
        #expect(Array(image[20, 20]) == [204, 204, 204])
        // The 3.47 px edge around x = 5.5 covers column 6 fully, over the face: 0.8·(0,128,0) + 0.2·(204,204,204).
        let edge = Array(image[6, 20])
        #expect(abs(Int(edge[0]) - 41) <= 1 && abs(Int(edge[1]) - 143) <= 1 && abs(Int(edge[2]) - 41) <= 1)
    }
}

@Suite("Visualizer.drawPolygons")
struct VisualizerPolygonsTests {
    @Test("A single polygon, a list of ragged polygons, and [NDArray] are accepted")
    func acceptedForms() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer(width: 20, height: 20)
        let triangle = try NDArray([[1, 1], [5, 1], [3, 5]])
        try visualizer.drawPolygons(triangle)
            .drawPolygons([[1, 1], [5, 1], [3, 5]])
            .drawPolygons(
                [[[1, 1], [5, 1], [3, 5]], [[6, 6], [9, 6], [9, 9], [6, 9]]], edgeColors: ["r", "b"],
                lineWidths: [2, 1]
            )
            .drawPolygons(
                [triangle, try NDArray([[6, 6], [9, 6], [9, 9]])], faceColors: .all(Color(red: 1, green: 2, blue: 3)))
        #expect(recorder.messages.isEmpty)
    }

    @Test("A polygon that is not K×2 is an error naming it")
    func invalidPolygons() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "polygons[1]", expected: "a K×2 array of (x, y) vertices", actual: "an array of shape [3, 3]")
        ) {
            try visualizer.drawPolygons([
                try NDArray([[1, 1], [2, 2]]), try NDArray([[1, 1, 1], [2, 2, 2], [3, 3, 3]]),
            ])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "polygons[0]", expected: "finite coordinates", actual: "inf in row 1")
        ) {
            try visualizer.drawPolygons([[1, 1], [.infinity, 2], [3, 3]])
        }
    }

    @Test("Empty lists are empty polygons, not an array of shape [1, 0]; among vertices they name the element")
    func emptyPolygons() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        let before = try visualizer.getImage()
        let empty: [[Double]] = [[]]
        try visualizer.drawPolygons(empty)
        try visualizer.drawPolygons([[], []] as [[Double]])
        #expect(try visualizer.getImage() == before, "empty polygons draw nothing")
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "polygons[1]",
                expected: "a vertex [x, y] (the other elements are vertices of one polygon) or, for a list of "
                    + "polygons, a list of [x, y] vertices per polygon",
                actual: "an empty list")
        ) {
            try visualizer.drawPolygons([[1, 1], [], [3, 3]] as [[Double]])
        }
    }

    @Test("A vertex outside warns 'The polygon is out of bounds'")
    func outOfBounds() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawPolygons([[[1, 1], [16, 1], [3, 5]], [[1, 1], [2, 1], [-1, 5]]])
        #expect(recorder.messages == [DrawingFixture.outOfBounds("polygon")])
    }

    @Test("A filled square's drawn area matches its geometry")
    func filledArea() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 40, height: 40, fill: [0, 0, 0])
        try visualizer.drawPolygons(
            [[10.5, 10.5], [30.5, 10.5], [30.5, 20.5], [10.5, 20.5]], edgeColors: .all(.none), faceColors: "w", alpha: 1
        )
        let image = try visualizer.getImage()
        let area = image.pixels.enumerated().filter { $0.offset % 3 == 0 }.reduce(0.0) { $0 + Double($1.element) / 255 }
        #expect(abs(area - 200) < 0.5)
    }
}

@Suite("Visualizer.drawCircles")
struct VisualizerCirclesTests {
    @Test("MMEngine's accepted forms, and its bounds samples on a 10×10 image")
    func boundsSamples() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawCircles(centers: [5, 5], radii: [4])
        #expect(recorder.messages.isEmpty)
        try visualizer.drawCircles(centers: [[1, 5]], radii: [2])
        #expect(recorder.messages == [DrawingFixture.outOfBounds("circle")])
        try visualizer.drawCircles(centers: [5, 5], radii: [5])
        #expect(recorder.messages.count == 2)
        try visualizer.drawCircles(
            centers: [[3, 3], [6, 6]], radii: [1, 2], edgeColors: ["r", "b"], lineStyles: [.solid, .dashDot],
            lineWidths: [1, 3], faceColors: .all(Color(red: 0, green: 0, blue: 255)))
        #expect(recorder.messages.count == 2)
    }

    @Test("Centre count must equal the radius count; radii must be finite and >= 0")
    func invalidCircles() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "centers", expected: "an N×2 array of (x, y) with N = 2, the number of radii",
                actual: "1 centres")
        ) {
            try visualizer.drawCircles(centers: [5, 5], radii: [1, 2])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "radii[0]", expected: "a finite radius >= 0", actual: "-1.0")
        ) {
            try visualizer.drawCircles(centers: [5, 5], radii: [-1])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "radii", expected: "N radii (a 1-D array)", actual: "an array of shape [1, 1]")
        ) {
            try visualizer.drawCircles(centers: [5, 5], radii: [[1]])
        }
    }

    @Test("A filled disc's area is πr²")
    func discArea() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 60, height: 60, fill: [0, 0, 0])
        try visualizer.drawCircles(centers: [30, 30], radii: [20], edgeColors: .all(.none), faceColors: "w", alpha: 1)
        let image = try visualizer.getImage()
        let area = stride(from: 0, to: image.pixels.count, by: 3).reduce(0.0) { $0 + Double(image.pixels[$1]) / 255 }
        #expect(abs(area - Double.pi * 400) < 3)
    }
}
