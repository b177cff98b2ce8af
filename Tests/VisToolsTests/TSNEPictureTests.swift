import Foundation
import Testing
import VisCore
import VisPlot
import VisTestSupport
import VisTools

/// MMSelfSup's t-SNE picture: normalisation and colours checked analytically, the whole figure against matplotlib
/// drawing the same data as `visualize_tsne.py` does, and committed goldens of ours (`VIS_REGENERATE_GOLDEN=1`).
@Suite("t-SNE picture")
struct TSNEPictureTests {
    static let golden = TestSupport.packageRoot.appendingPathComponent("Tests/VisToolsTests/Golden")

    /// 600 samples of 5 classes in clusters on a ring, in raw embedding units (about ±45), float32 like an
    /// embedding file; labels 0...4.
    static func embedding() throws -> (points: NDArray, labels: [Int]) {
        var values: [Float] = []
        var labels: [Int] = []
        var rng = SplitMix64(seed: 5)
        func normal() -> Double {
            (-2 * log(1 - rng.nextUnit())).squareRoot() * cos(2 * Double.pi * rng.nextUnit())
        }
        for index in 0..<600 {
            let label = index % 5
            let angle = Double(label) * 2 * Double.pi / 5
            values.append(Float(35 * cos(angle) + 6 * normal()))
            values.append(Float(20 * sin(angle) + 4 * normal() - 3))
            labels.append(label)
        }
        return (try NDArray(values, shape: [600, 2]), labels)
    }

    static let names = ["airplane", "automobile", "bird", "cat", "deer"]

    /// matplotlib's rendering of the same embedding with `visualize_tsne.py`'s calls; with `names`, a legend made
    /// the way ``TSNEPicture`` makes it (an empty labelled scatter per class).
    static func matplotlibPicture(_ points: NDArray, labels: [Int]?, names: [String]?) throws -> Image {
        let directory = try TestSupport.makeTemporaryDirectory("tsne-picture-mpl")
        defer { try? FileManager.default.removeItem(at: directory) }
        let dir = directory.path
        try points.writeNPY(to: dir + "/points.npy")
        if let labels { try NDArray(labels.map(Int64.init), shape: [labels.count]).writeNPY(to: dir + "/labels.npy") }
        try Data((names ?? []).joined(separator: "\n").utf8).write(to: directory.appendingPathComponent("names.txt"))
        try TestSupport.runPython(
            """
            import sys, os, numpy as np, matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            d = sys.argv[1]
            result = np.load(d + "/points.npy").astype(np.float64)
            res_min, res_max = result.min(0), result.max(0)
            res_norm = (result - res_min) / (res_max - res_min)
            plt.figure(figsize=(10, 10))
            if os.path.exists(d + "/labels.npy"):
                labels = np.load(d + "/labels.npy")
                plt.scatter(res_norm[:, 0], res_norm[:, 1], alpha=1.0, s=15, c=labels, cmap="tab20")
                names = open(d + "/names.txt").read().split("\\n")
                if names != [""]:
                    norm = matplotlib.colors.Normalize(labels.min(), labels.max())
                    for k in sorted(set(labels.tolist())):
                        plt.scatter([], [], s=15, color=plt.get_cmap("tab20")(norm(k)), label=names[k])
                    plt.legend()
            else:
                plt.scatter(res_norm[:, 0], res_norm[:, 1], alpha=1.0, s=15)
            plt.savefig(d + "/mpl.png")
            """, arguments: [dir])
        return try Image(contentsOfFile: dir + "/mpl.png")
    }

    @Test("Each axis is min-max normalised to [0, 1]; a constant axis goes to 0.5")
    func normalisation() throws {
        #expect(TSNEPicture.normalized([-2, 0, 6]) == [0, 0.25, 1])
        #expect(TSNEPicture.normalized([3, 3]) == [0.5, 0.5])
        let picture = try TSNEPicture(embedding: try NDArray([[10.0, -1, 7], [20, 1, 7], [15, 0, 7]]))
        #expect(picture.x == [0, 1, 0.5] && picture.y == [0, 1, 0.5])
    }

    @Test("1000 × 1000 pixels; a lone dot takes the tab20 colour of its normalised label")
    func analyticColours() throws {
        // Labels 0, 2, 4 normalise to 0, 0.5, 1: tab20 entries 0, 10 and 19, as matplotlib's ListedColormap.
        let points = try NDArray([[0.0, 0], [1, 1], [0.5, 0.5]])
        let image = try TSNEPicture(embedding: points, labels: [0, 2, 4]).figure().render()
        #expect(image.width == 1000 && image.height == 1000)
        // Axes span [-0.05, 1.05] over pixels 125...900 (x) and 110...880 from the bottom (y).
        func pixel(_ u: Double, _ v: Double) -> [UInt8] {
            let px = Int((125 + (u + 0.05) / 1.1 * 775).rounded(.down))
            let py = Int((1000 - (110 + (v + 0.05) / 1.1 * 770)).rounded(.down))
            let offset = (py * image.width + px) * image.layout.channels
            return Array(image.pixels[offset..<(offset + 3)])
        }
        for (point, entry) in [((0.0, 0.0), 0), ((1.0, 1.0), 10), ((0.5, 0.5), 19)] {
            let color = ColorPalette.tab20[entry]
            #expect(pixel(point.0, point.1) == [color.red, color.green, color.blue], "label at \(point)")
        }
        let plain = try TSNEPicture(embedding: points).figure().render()
        let blue = ColorPalette.tab10[0]
        let offset = (Int(1000 - (110 + 0.55 / 1.1 * 770)) * 1000 + Int(125 + 0.55 / 1.1 * 775)) * plain.layout.channels
        #expect(Array(plain.pixels[offset..<(offset + 3)]) == [blue.red, blue.green, blue.blue])
    }

    @Test("Labelled picture: matplotlib's within 0.2 levels per sample on average; golden")
    func labelledAgainstMatplotlib() throws {
        let (points, labels) = try Self.embedding()
        let ours = try TSNEPicture(embedding: points, labels: labels).figure().render()
        let theirs = try Self.matplotlibPicture(points, labels: labels, names: nil)
        #expect(ours.width == theirs.width && ours.height == theirs.height)
        let difference = TestSupport.meanDifference(ours, theirs)
        print("t-SNE picture against matplotlib: mean difference \(difference) levels per sample")
        #expect(difference < 0.2, "mean difference \(difference)")
        let result = try TestSupport.compareWithGolden(ours, name: "tsne-labels.png", directory: Self.golden, tolerance: 2)
        #expect(result.differingSamples == 0, "differs from the golden in \(result.differingSamples) samples")
    }

    @Test("With class names: a legend as matplotlib draws it, within 0.3 levels per sample; golden")
    func legendAgainstMatplotlib() throws {
        let (points, labels) = try Self.embedding()
        let picture = try TSNEPicture(embedding: points, labels: labels, classNames: Self.names + ["unused"])
        let ours = try picture.figure().render()
        let theirs = try Self.matplotlibPicture(points, labels: labels, names: Self.names + ["unused"])
        let difference = TestSupport.meanDifference(ours, theirs)
        print("t-SNE picture against matplotlib: mean difference \(difference) levels per sample")
        #expect(difference < 0.3, "mean difference \(difference)")
        // The legend is what makes the difference from the unlabelled-names picture.
        let plain = try TSNEPicture(embedding: points, labels: labels).figure().render()
        #expect(TestSupport.meanDifference(ours, plain) > 0.2)
        let result = try TestSupport.compareWithGolden(ours, name: "tsne-legend.png", directory: Self.golden, tolerance: 2)
        #expect(result.differingSamples == 0, "differs from the golden in \(result.differingSamples) samples")
    }

    /// A one-colour collection goes through Agg's `draw_markers`, whose dot centres land about 0.3 pixels right
    /// of and below VisPlot's snapped ones; hence a looser bound than the labelled picture's.
    @Test("Without labels: one colour, as matplotlib's scatter without c, within 0.65 levels per sample")
    func unlabelledAgainstMatplotlib() throws {
        let (points, _) = try Self.embedding()
        let ours = try TSNEPicture(embedding: points).figure().render()
        let theirs = try Self.matplotlibPicture(points, labels: nil, names: nil)
        let difference = TestSupport.meanDifference(ours, theirs)
        print("t-SNE picture against matplotlib: mean difference \(difference) levels per sample")
        #expect(difference < 0.65, "mean difference \(difference)")
        let blue = ColorPalette.tab10[0]
        let rgb = ours.converted(to: .rgb).pixels
        let colours = Set(stride(from: 0, to: rgb.count, by: 3).map { [rgb[$0], rgb[$0 + 1], rgb[$0 + 2]] })
        #expect(colours.contains([blue.red, blue.green, blue.blue]))
        // No other label colour (the greys of tab20 are left out: anti-aliased text makes greys).
        let others = ColorPalette.tab20.colors.dropFirst().filter { !($0.red == $0.green && $0.green == $0.blue) }
        #expect(!others.contains { colours.contains([$0.red, $0.green, $0.blue]) })
    }

    @Test("PNG and SVG files by extension")
    func writesFiles() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tsne-picture")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (points, labels) = try Self.embedding()
        let picture = try TSNEPicture(embedding: points, labels: labels, classNames: Self.names)
        let png = directory.appendingPathComponent("feat.png").path
        let svg = directory.appendingPathComponent("feat.svg").path
        try picture.write(to: png)
        try picture.write(to: svg)
        let image = try Image(contentsOfFile: png)
        #expect(image.width == 1000 && image.height == 1000)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<?xml") || text.hasPrefix("<svg"))
        #expect(text.contains("<svg") && text.contains("</svg>"))
    }

    @Test("Bad input is a typed error saying what was expected")
    func badInput() throws {
        let points = try NDArray([[0.0, 0], [1, 1], [0.5, 0.5]])
        #expect(throws: TSNEPictureError.embeddingShape(shape: [3, 1])) {
            try TSNEPicture(embedding: try NDArray([[0.0], [1], [2]]))
        }
        #expect(throws: TSNEPictureError.labelCount(labels: 2, samples: 3)) {
            try TSNEPicture(embedding: points, labels: [0, 1])
        }
        #expect(throws: TSNEPictureError.tooFewClassNames(names: 2, classes: 5)) {
            try TSNEPicture(embedding: points, labels: [0, 4, 1], classNames: ["a", "b"])
        }
        #expect(throws: TSNEPictureError.negativeLabel(-1)) {
            try TSNEPicture(embedding: points, labels: [0, -1, 1], classNames: ["a", "b"])
        }
        #expect(throws: TSNEPictureError.namesWithoutLabels) { try TSNEPicture(embedding: points, classNames: ["a"]) }
        let message = TSNEPictureError.tooFewClassNames(names: 2, classes: 5).localizedDescription
        #expect(message.contains("2 class names for 5 classes"))
    }
}
