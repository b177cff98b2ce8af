import Foundation
import Testing
import VisCore
import VisDraw
@testable import VisPlot

/// Bad and awkward data: typed errors naming the argument, or sensible plots; never a crash.
@Suite("Bad input")
struct BadInputTests {
    static func axes(_ size: (Double, Double) = (6.4, 4.8)) throws -> (Figure, Axes) {
        let figure = try Figure(size: size)
        return (figure, try figure.subplots()[0][0])
    }

    @Test("mismatched lengths, bad widths, sizes and alphas are typed errors naming the argument")
    func typedErrors() throws {
        let (figure, axes) = try Self.axes()
        #expect(throws: PlotError.invalidArgument(argument: "y", expected: "as many values as x (3)", actual: "2 values")) {
            try axes.plot(x: [1, 2, 3], y: [1, 2])
        }
        for (call, name) in [
            ({ try axes.plot(x: [1], y: [1], lineWidth: -1) }, "lineWidth"),
            ({ try axes.plot(x: [1], y: [1], alpha: 2) }, "alpha"),
            ({ try axes.scatter(x: [1, 2], y: [1, 2], sizes: [1, 2, 3]) }, "sizes"),
            ({ try axes.scatter(x: [1, 2], y: [1, 2], values: [1]) }, "values"),
            ({ try axes.fillBetween(x: [1, 2], lower: [1], upper: [1, 2]) }, "lower"),
            ({ try axes.setXLim(.nan, 1) }, "xlim"),
            ({ try axes.setYLim(2, 2) }, "ylim"),
            ({ try axes.axhline(y: .infinity) }, "y"),
            ({ try axes.imshow(try Image(width: 0, height: 0)) }, "image"),
            ({ _ = try figure.subplots(rows: 0, cols: 1) }, "rows"),
            ({ _ = try figure.addSubplot(rows: 2, cols: 2, index: 5) }, "index"),
            ({ _ = try Figure(size: (0, 4)) }, "size"),
            ({ _ = try Figure(dpi: .nan) }, "dpi"),
            ({ _ = try Figure(size: (1000, 1000)) }, "size"),
        ] as [(() throws -> Void, String)] {
            do {
                try call()
                Issue.record("no error for a bad \(name)")
            } catch let error as PlotError {
                guard case .invalidArgument(let argument, _, _) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(argument == name)
                #expect(error.localizedDescription.contains(name))
            }
        }
        axes.setXScale(.log)
        #expect(throws: PlotError.self) { try axes.setXLim(-1, 10) }
        #expect(throws: PlotError.self) { try figure.savefig("/tmp/figure.gif") }
    }

    /// The pixel at data point (x, y) of a rendered figure.
    static func pixel(_ image: Image, _ axes: Axes, x: Double, y: Double) throws -> [UInt8] {
        let (tx, ty) = try axes.transforms()
        return Array(image[Int(tx.pixel(x)), Int(ty.pixel(y))])
    }

    @Test("NaN and infinite values are left out of the limits and drawn as gaps")
    func gaps() throws {
        let (figure, axes) = try Self.axes()
        let x = (0..<101).map { Double($0) }
        var y = x.map { _ in 1.0 }
        for index in 40...60 { y[index] = index == 50 ? .infinity : .nan }
        try axes.plot(x: x, y: y, lineWidth: 4)
        let limits = axes.viewLimits(horizontal: false)
        #expect(abs(limits.0 - 0.945) < 1e-12 && abs(limits.1 - 1.055) < 1e-12)
        let image = try figure.render()
        let blue = ColorPalette.tab10[0]
        #expect(try Self.pixel(image, axes, x: 20, y: 1) == [blue.red, blue.green, blue.blue])
        #expect(try Self.pixel(image, axes, x: 50, y: 1) == [255, 255, 255])
        #expect(try Self.pixel(image, axes, x: 80, y: 1) == [blue.red, blue.green, blue.blue])
    }

    @Test("empty, single-point, constant, all-NaN and 1e8-range data render")
    func awkwardData() throws {
        let cases: [(String, [Double], [Double])] = [
            ("empty", [], []), ("single", [3], [4]), ("constant", [1, 2, 3], [7, 7, 7]),
            ("all NaN", [.nan, .nan], [.nan, 1]), ("1e8 range", [0, 1, 2], [-1e8, 0, 1e8]),
            ("huge values", [1e300, 1.5e300], [-1e300, 1e300]), ("tiny range", [1, 1 + 1e-12], [0, 1e-15]),
        ]
        for (name, x, y) in cases {
            for scale in AxisScale.allCases {
                let (figure, axes) = try Self.axes()
                axes.setYScale(scale)
                try axes.plot(x: x, y: y, marker: .circle, label: name)
                try axes.scatter(x: x, y: y, values: y, colormap: .viridis)
                try axes.fillBetween(x: x, lower: y, upper: y.map { $0 + 1 })
                try axes.legend()
                let (low, high) = axes.viewLimits(horizontal: false)
                #expect(low.isFinite && high.isFinite && low != high, "\(name) \(scale): \(low), \(high)")
                let image = try figure.render()
                #expect(image.width == 640, "\(name)")
                _ = try figure.svg()
            }
        }
    }

    @Test("a log axis leaves out values <= 0 and ticks at powers of ten")
    func logAxis() throws {
        let (figure, axes) = try Self.axes()
        axes.setYScale(.log)
        try axes.plot(x: [0, 1, 2, 3, 4], y: [-1, 0, 1, 100, 10_000])
        let ticks = try axes.majorTicks(horizontal: false)
        #expect(ticks.labels.contains("10⁰") && ticks.labels.contains("10⁴"))
        #expect(try figure.render().width == 640)
    }
}
