import Foundation
import Testing
import VisCore
import VisPlot
import VisTestSupport

/// Tick locations, labels and offset texts compared with matplotlib 3.11 (the interop venv) on the same axes:
/// the default figure and a small 2.5×2 in one (fewer ticks fit), for each data range on both axes.
@Suite("Ticks against matplotlib")
struct MatplotlibTickerTests {
    /// (low, high, log scale).
    static let ranges: [(Double, Double, Bool)] = [
        // Ordinary.
        (0, 1, false), (0, 10, false), (0, 100, false), (0, 3, false), (0, 7, false), (1, 2, false), (0.1, 0.9, false),
        (-1, 1, false), (0, 0.05, false), (0.001, 0.0015, false), (3.14, 3.15, false), (0, 12345, false),
        (-273.15, 100, false), (0, 2.5, false), (17, 83, false), (99, 101, false), (7e5, 9e5, false),
        // Tiny.
        (0, 1e-9, false), (1e-7, 3e-7, false), (-1e-12, 1e-12, false), (1e-5, 2e-5, false), (0, 1e-4, false),
        (-2e-6, 5e-6, false),
        // Huge.
        (0, 1e9, false), (1e15, 5e15, false), (-3e12, 7e12, false), (0, 3e6, false), (1e4, 1e5, false), (0, 1e100, false),
        // Negative.
        (-10, -1, false), (-1000, -999, false), (-5.5, 3.3, false), (-0.003, -0.001, false),
        // Needing an offset.
        (1e6, 1e6 + 10, false), (100000.1, 100000.5, false), (-1e6 - 5, -1e6, false), (1234567, 1234580, false),
        (2020.0, 2020.5, false), (999.99, 1000.01, false), (0.5, 0.5000001, false), (42, 42.001, false),
        (1e8, 1e8 + 1, false),
        // Logarithmic.
        (1, 1000, true), (1e-3, 1e3, true), (0.5, 50, true), (1, 1e10, true), (1e-20, 1e20, true), (3, 3000, true),
        (100, 1e5, true),
    ]

    static let sizes: [(Double, Double)] = [(6.4, 4.8), (2.5, 2)]

    struct Expected: Decodable {
        var ticks: [Double]
        var labels: [String]
        var offset: String
    }

    /// matplotlib's answers: for each size, range and axis (x then y).
    static func matplotlib() throws -> [[[Expected]]] {
        let cases = ranges.map { "[\($0.0.description), \($0.1.description), \($0.2 ? "True" : "False")]" }.joined(separator: ",")
        let sizes = Self.sizes.map { "[\($0.0), \($0.1)]" }.joined(separator: ",")
        let script = """
            import json, re, matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
            def label(text):
                m = re.fullmatch(r"\\$\\\\mathdefault\\{(\\\\minus|-)?(\\d+)\\^\\{(-?\\d+)\\}\\}\\$", text)
                if m:
                    return ("\\u2212" if m.group(1) else "") + m.group(2) + m.group(3).translate(SUP)
                return text
            out = []
            for w, h in [\(sizes)]:
                per_size = []
                for lo, hi, log in [\(cases)]:
                    fig, ax = plt.subplots(figsize=(w, h))
                    if log:
                        ax.set_xscale("log"); ax.set_yscale("log")
                    ax.set_xlim(lo, hi); ax.set_ylim(lo, hi)
                    fig.canvas.draw()
                    both = []
                    for axis in (ax.xaxis, ax.yaxis):
                        ticks = axis._update_ticks()
                        ticks = [t for t in ticks if t in axis.get_major_ticks()]
                        both.append({"ticks": [float(t.get_loc()) for t in ticks],
                                     "labels": [label(t.label1.get_text()) for t in ticks],
                                     "offset": axis.get_offset_text().get_text()})
                    per_size.append(both)
                    plt.close(fig)
                out.append(per_size)
            print(json.dumps(out))
            """
        let output = try TestSupport.runPython(script)
        return try JSONDecoder().decode([[[Expected]]].self, from: Data(output.utf8))
    }

    @Test("tick locations, labels and offsets equal matplotlib's for 49 ranges on two axes sizes")
    func ticksMatchMatplotlib() throws {
        let expected = try Self.matplotlib()
        var compared = 0
        for (sizeIndex, size) in Self.sizes.enumerated() {
            for (rangeIndex, (low, high, log)) in Self.ranges.enumerated() {
                let figure = try Figure(size: size)
                let axes = try figure.subplots()[0][0]
                if log {
                    axes.setXScale(.log)
                    axes.setYScale(.log)
                }
                try axes.setXLim(low, high)
                try axes.setYLim(low, high)
                for (axisIndex, horizontal) in [true, false].enumerated() {
                    let ours = try axes.majorTicks(horizontal: horizontal)
                    let theirs = expected[sizeIndex][rangeIndex][axisIndex]
                    let context = "range \(low)...\(high)\(log ? " log" : "") \(horizontal ? "x" : "y") at \(size)"
                    #expect(ours.values.count == theirs.ticks.count, "\(context): \(ours.values) vs \(theirs.ticks)")
                    for (a, b) in zip(ours.values, theirs.ticks) {
                        #expect(abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300), "\(context): \(ours.values) vs \(theirs.ticks)")
                    }
                    #expect(ours.labels == theirs.labels, "\(context)")
                    #expect(ours.offsetText == theirs.offset, "\(context)")
                    compared += 1
                }
            }
        }
        #expect(Self.ranges.count == 49)
        #expect(compared == Self.ranges.count * Self.sizes.count * 2)
    }
}
