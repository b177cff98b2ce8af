import Testing
@testable import VisPlot

@Suite("Locators and formatters")
struct TickerTests {
    let context = AxisContext(viewInterval: (0, 1), tickSpace: 9)

    @Test("MaxNLocator picks steps of 1, 2, 2.5 and 5 times a power of ten")
    func niceSteps() throws {
        let unit = MaxNLocator.auto.tickValues(0, 1, context: context)
        #expect(unit.count == 6)
        for (tick, expected) in zip(unit, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) { #expect(abs(tick - expected) < 1e-12) }
        let ticks = MaxNLocator.auto.tickValues(0, 10, context: context)
        #expect(ticks == [0, 2, 4, 6, 8, 10])
        let few = try MaxNLocator(nbins: 3).tickValues(0, 10, context: context)
        #expect(few == [0, 5, 10])
        #expect(throws: PlotError.self) { try MaxNLocator(steps: [3, 2]) }
        #expect(throws: PlotError.self) { try MaxNLocator(nbins: 0) }
    }

    @Test("ScalarFormatter factors out offsets and powers of ten, with Unicode minus or ×10ⁿ")
    func scalarFormatter() {
        let formatter = ScalarFormatter()
        let offset = formatter.labels(for: [1e6, 1e6 + 2, 1e6 + 4], context: AxisContext(viewInterval: (1e6, 1e6 + 4), tickSpace: 9))
        #expect(offset.labels == ["0", "2", "4"])
        #expect(offset.offsetText == "+1e6")
        let negative = formatter.labels(for: [-2, -1, 0], context: AxisContext(viewInterval: (-2, 0), tickSpace: 9))
        #expect(negative.labels == ["\u{2212}2", "\u{2212}1", "0"])
        var math = ScalarFormatter()
        math.useMathText = true
        let small = math.labels(for: [0, 1e-7, 2e-7], context: AxisContext(viewInterval: (0, 2e-7), tickSpace: 9))
        #expect(small.labels == ["0", "1", "2"])
        #expect(small.offsetText == "×10⁻⁷")
    }

    @Test("LogLocator thins decades to the tick space; LogFormatter writes powers with superscripts")
    func logTicks() {
        let many = LogLocator().tickValues(1e-20, 1e20, context: AxisContext(viewInterval: (1e-20, 1e20), tickSpace: 9))
        #expect(many.count <= 11)
        #expect(LogFormatter().label(1000) == "10³")
        #expect(LogFormatter().label(0.01) == "10⁻²")
        #expect(LogFormatter().label(200) == "2×10²")
        #expect(LogFormatter(labelOnlyBase: true).label(200) == "")
    }

    @Test("Python's floor division semantics")
    func pythonDivmod() {
        #expect(_pyDivmod(-7, 2) == (-4, 1))
        #expect(_pyDivmod(7, -2) == (-4, -1))
        #expect(_pyFloorDiv(0.3, 0.1) == 2)
    }
}
