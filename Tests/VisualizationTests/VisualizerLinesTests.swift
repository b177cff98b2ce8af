import Foundation
import Testing
import VisTestSupport
import Visualization

@Suite("Visualizer.drawLines")
struct VisualizerLinesTests {
    @Test("MMEngine's accepted forms: 1-D pairs, N×2 arrays, styles and widths per line")
    func acceptedForms() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawLines(xData: [1, 5], yData: [1, 5])
            .drawLines(
                xData: [[1, 5], [2, 6]], yData: [[2, 6], [1, 5]], lineStyles: [.solid, .dashDot], lineWidths: [1, 2])
        #expect(recorder.messages.isEmpty)
        try visualizer.drawLines(xData: [12, 5], yData: [1, 5])
        #expect(recorder.messages == [DrawingFixture.outOfBounds("line")])
    }

    @Test("Shapes must be identical and N×2")
    func shapes() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "yData", expected: "the shape of xData, [2]", actual: "an array of shape [2, 2]")
        ) {
            try visualizer.drawLines(xData: [1, 5], yData: [[1, 5], [2, 2]])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "xData", expected: "an N×2 array of segment end coordinates",
                actual: "an array of shape [1, 3]")
        ) {
            try visualizer.drawLines(xData: [[1, 5, 6]], yData: [[1, 5, 6]])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "yData", expected: "finite coordinates", actual: "nan in row 0")
        ) {
            try visualizer.drawLines(xData: [1, 5], yData: [1, .nan])
        }
    }

    @Test("Widths are not clamped: 10 pt draws 13.9 px wide, in points, with butt caps")
    func widthsInPoints() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 100, height: 60, fill: [0, 0, 0])
        try visualizer.drawLines(xData: [20, 80], yData: [30, 30], colors: "w", lineWidths: 10)
        let image = try visualizer.getImage()
        let column = (0..<60).reduce(0.0) { $0 + Double(image[50, $1, 0]) / 255 }
        #expect(abs(column - 10 * 100 / 72) < 0.05)
        #expect(image[19, 30, 0] == 0 && image[20, 30, 0] == 255 && image[80, 30, 0] == 0, "butt caps end at the ends")
    }

    @Test("Dashed lines leave gaps of 1.6 widths after dashes of 3.7 widths")
    func dashes() throws {
        let (visualizer, _) = try DrawingFixture.visualizer(width: 200, height: 20, fill: [0, 0, 0])
        try visualizer.drawLines(
            xData: [0, 200], yData: [10, 10], colors: "w", lineStyles: .all(.dashed), lineWidths: 3.6)
        let image = try visualizer.getImage()
        // Width 5 px: dashes of 18.5 px, gaps of 8 px, period 26.5 px.
        let on = (0..<200).reduce(0.0) { $0 + Double(image[$1, 10, 0]) / 255 }
        let periods = 200 / 26.5
        let expected = Double(Int(periods)) * 18.5 + min((periods - Double(Int(periods))) * 26.5, 18.5)
        #expect(abs(on - expected) < 1.5, "\(on) vs \(expected)")
        #expect(image[5, 10, 0] == 255 && image[22, 10, 0] == 0)
    }
}

@Suite("Visualizer.drawPoints")
struct VisualizerPointsTests {
    @Test("MMEngine's accepted forms: colours per point, marker '.', sizes per point")
    func acceptedForms() throws {
        let (visualizer, recorder) = try DrawingFixture.visualizer()
        try visualizer.drawPoints([[1, 1], [3, 3]], colors: ["g", .init(red: 255, green: 255, blue: 0)])
            .drawPoints(
                [[1, 1], [3, 3]], colors: ["g", .init(red: 255, green: 255, blue: 0)], marker: .point, sizes: [1, 5]
            )
            .drawPoints([50, 50])
        #expect(recorder.messages.isEmpty, "points are never warned about")
    }

    @Test("Positions must be N×2; markers parse from matplotlib symbols")
    func invalid() throws {
        let (visualizer, _) = try DrawingFixture.visualizer()
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "positions", expected: "an N×2 array of (x, y)", actual: "an array of shape [3]")
        ) {
            try visualizer.drawPoints([1, 2, 3])
        }
        #expect(
            throws: VisualizerError.invalidArgument(
                argument: "sizes[1]", expected: "a finite marker area in pt², at least 0", actual: "-4.0")
        ) {
            try visualizer.drawPoints([[1, 1], [2, 2]], sizes: [4, -4])
        }
        #expect(try PointMarker(parsing: "D") == .diamond)
        #expect(PointMarker.allCases.map(\.rawValue) == ["o", ".", "s", "^", "v", "x", "+", "*", "D"])
        #expect(throws: VisualizerError.self) { try PointMarker(parsing: "h") }
    }

    @Test("Sizes are areas in pt²: a disc of 36 pt² is 6 pt (8.3 px) wide plus a 1 pt edge")
    func markerArea() throws {
        func inkArea(_ marker: PointMarker, size: Double) throws -> Double {
            let (visualizer, _) = try DrawingFixture.visualizer(width: 80, height: 80, fill: [0, 0, 0])
            try visualizer.drawPoints([40, 40], colors: "w", marker: marker, sizes: .all(size))
            let image = try visualizer.getImage()
            return stride(from: 0, to: image.pixels.count, by: 3).reduce(0.0) { $0 + Double(image.pixels[$1]) / 255 }
        }
        let ppt = 100.0 / 72.0
        // Filled markers: a 1 pt edge in the face colour, so a 36 pt² disc is 7 pt across.
        let disc = Double.pi * pow((6 + 1) * ppt / 2, 2)
        #expect(abs(try inkArea(.circle, size: 36) - disc) < 1)
        #expect(try inkArea(.circle, size: 144) > 3 * (try inkArea(.circle, size: 36)))
        // matplotlib snaps the square (rectilinear) to whole pixels: its 8.33 px sides become 8 px, plus the
        // 1.39 px edge whose round joins lose (4 − π)·(edge/2)² at the corners.
        let square = pow(8 + ppt, 2) - (4 - Double.pi) * pow(0.5 * ppt, 2)
        #expect(abs(try inkArea(.square, size: 36) - square) < 1)
        // The crosses are 1.5 pt strokes only; the `+` snaps to 8 px bars, overlapping in the middle.
        let plus = 2 * 8 * (1.5 * ppt) - pow(1.5 * ppt, 2)
        #expect(abs(try inkArea(.plus, size: 36) - plus) < 1)
        for marker in PointMarker.allCases {
            #expect(try inkArea(marker, size: 36) > 5, "\(marker)")
        }
    }
}
