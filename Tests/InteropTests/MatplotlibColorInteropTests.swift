import Foundation
import Testing
import VisCore
import VisTestSupport

/// What matplotlib makes of one colour string.
private struct MatplotlibColor: Decodable {
    /// The pixel Agg paints with the colour (a figure background), RGBA; `nil` when matplotlib rejects the string.
    var rendered: [Int]?
    /// MMEngine's `color_str2rgb`: `int(c * 255)` of `to_rgb`; `nil` when matplotlib rejects the string.
    var truncated: [Int]?
}

/// Renders each colour string given as a JSON list with matplotlib's Agg backend and prints a JSON object of
/// `MatplotlibColor` by string.
private let renderScript = """
    import json, sys
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt
    import numpy as np

    figure = plt.figure(figsize=(1, 1), dpi=10)
    result = {}
    for text in json.loads(sys.argv[1]):
        try:
            fractions = mcolors.to_rgba(text)
        except ValueError:
            result[text] = {"rendered": None, "truncated": None}
            continue
        figure.patch.set_facecolor(text)
        figure.canvas.draw()
        pixel = np.asarray(figure.canvas.buffer_rgba())[5, 5].tolist()
        truncated = [int(c * 255) for c in mcolors.to_rgb(text)]
        result[text] = {"rendered": pixel, "truncated": truncated}
    print(json.dumps(result))
    """

private func matplotlibColors(_ texts: [String]) throws -> [String: MatplotlibColor] {
    let argument = String(decoding: try JSONEncoder().encode(texts), as: UTF8.self)
    let output = try TestSupport.runPython(renderScript, arguments: [argument])
    return try JSONDecoder().decode([String: MatplotlibColor].self, from: Data(output.utf8))
}

private func rgba(_ color: Color) -> [Int] {
    [Int(color.red), Int(color.green), Int(color.blue), Int(color.alpha)]
}

/// Strings both sides must treat alike: accepted with the same colour, or rejected.
private let probes = [
    "#ff8000", "#FF8000", "#1f77b480", "#abc", "#abcd", "#12345678", "#00000000", "none", "None", "NONE",
    "0", "1", "0.5", ".25", "+.5", "1e-1", "-0", "0.999", "1.5", "-0.1", "nan", "inf", "0x1p-1",
    "", "#", "#ff", "#fffff", "#fffffff", "#ff800g", "ff8000", "greem", "R", "G", "Red", "RED", "Tab:Blue",
    "tab:teal", "bb", "rgb(1,2,3)",
]

@Suite("matplotlib colour interop")
struct MatplotlibColorInteropTests {
    /// Every name `Color(parsing:)` knows, painted by Agg and truncated like `color_str2rgb`.
    @Test func everyNameMatchesMatplotlib() throws {
        let names = Color.matplotlibColorNames
        let reference = try matplotlibColors(names)
        #expect(reference.count == names.count)
        for name in names {
            let expected = try #require(reference[name], "\(name)")
            #expect(try rgba(Color(parsing: name)) == expected.rendered, "rendered \(name)")
            #expect(try Array(rgba(Color.maskColor(parsing: name)).prefix(3)) == expected.truncated, "mask \(name)")
        }
    }

    @Test func probesAreAcceptedOrRejectedAlike() throws {
        let reference = try matplotlibColors(probes)
        for probe in probes {
            let expected = try #require(reference[probe], "\(probe)")
            let parsed = try? Color(parsing: probe)
            let mask = try? Color.maskColor(parsing: probe)
            #expect((parsed == nil) == (expected.rendered == nil), "accepted \(String(reflecting: probe))")
            guard let parsed, let rendered = expected.rendered, let mask, let truncated = expected.truncated else {
                continue
            }
            // Agg leaves the RGB of fully transparent pixels undefined; only alpha is meaningful there.
            if rendered[3] == 0 {
                #expect(parsed == .none, "\(probe)")
            } else {
                #expect(rgba(parsed) == rendered, "rendered \(probe)")
            }
            #expect(Array(rgba(mask).prefix(3)) == truncated, "mask \(probe)")
        }
    }

    /// The documented differences: matplotlib forms outside MMEngine's usual set that the port rejects, and
    /// surrounding whitespace, which the port trims.
    @Test func documentedDifferences() throws {
        let reference = try matplotlibColors(["C0", "xkcd:sky blue", " red ", "\tg"])
        #expect(reference["C0"]?.rendered != nil)
        #expect(reference["xkcd:sky blue"]?.rendered != nil)
        #expect(throws: VisCoreError.self) { try Color(parsing: "C0") }
        #expect(throws: VisCoreError.self) { try Color(parsing: "xkcd:sky blue") }
        #expect(reference[" red "]?.rendered == nil)
        #expect(reference["\tg"]?.rendered == nil)
        #expect(try Color(parsing: " red ") == .red)
        #expect(try Color(parsing: "\tg") == Color(red: 0, green: 128, blue: 0))
    }

    @Test func tableauPalettesMatchMatplotlibColormaps() throws {
        let output = try TestSupport.runPython(
            """
            import json, matplotlib
            print(json.dumps({name: [[round(c * 255) for c in color] for color in matplotlib.colormaps[name].colors]
                              for name in ("tab10", "tab20")}))
            """)
        let reference = try JSONDecoder().decode([String: [[Int]]].self, from: Data(output.utf8))
        #expect(ColorPalette.tab10.colors.map { Array(rgba($0).prefix(3)) } == reference["tab10"])
        #expect(ColorPalette.tab20.colors.map { Array(rgba($0).prefix(3)) } == reference["tab20"])
    }

    /// `ColorPalette.random` against MMDetection's `get_palette('random', n)` recipe run by numpy itself.
    @Test(arguments: [UInt32(42), 0, 1, 2_147_483_648, .max])
    func randomPaletteMatchesNumpy(seed: UInt32) throws {
        let count = 1000
        let output = try TestSupport.runPython(
            """
            import json, sys
            import numpy as np
            np.random.seed(int(sys.argv[1]))
            print(json.dumps(np.random.randint(0, 256, size=(int(sys.argv[2]), 3)).tolist()))
            """, arguments: ["\(seed)", "\(count)"])
        let reference = try JSONDecoder().decode([[Int]].self, from: Data(output.utf8))
        let palette = try ColorPalette.random(count: count, seed: seed)
        #expect(palette.colors.map { Array(rgba($0).prefix(3)) } == reference)
    }
}
