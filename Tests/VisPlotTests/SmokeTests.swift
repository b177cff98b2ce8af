import Foundation
import Testing
import VisPlot

@Suite struct VisPlotSmokeTests {
    @Test func rendersEmptyFigure() throws {
        let figure = try Figure()
        _ = try figure.subplots(rows: 1, cols: 1)
        let image = try figure.render()
        #expect(image.width == 640 && image.height == 480)
    }

    @Test func demo() throws {
        guard let out = ProcessInfo.processInfo.environment["VISPLOT_DEMO"] else { return }
        let figure = try Figure()
        let axes = try figure.subplots()[0][0]
        let x = (0..<200).map { Double($0) / 20 }
        try axes.plot(x: x, y: x.map { sin($0) }, label: "sin")
        try axes.plot(x: x, y: x.map { cos($0) }, lineStyle: .dashed, label: "cos")
        try axes.scatter(x: [1, 2, 3], y: [0.5, -0.5, 0.2], label: "pts")
        axes.setTitle("Demo")
        axes.setXLabel("step")
        axes.setYLabel("value")
        axes.grid()
        try axes.legend()
        try figure.savefig(out + ".png")
        try figure.savefig(out + ".svg")
    }
}
