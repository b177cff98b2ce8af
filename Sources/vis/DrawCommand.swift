import ArgumentParser
import Foundation
import Visualization

/// `vis draw --image IMG --ops OPS.json --out OUT.png`: runs MMEngine-style drawing calls from a JSON file.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw boxes, texts, masks and more on an image from a JSON list of MMEngine drawing calls.",
        discussion: """
            OPS is a JSON array of calls with MMEngine's method and argument names, for example:

              [{"op": "draw_bboxes", "bboxes": [[33, 120, 209, 220]],
                "edge_colors": "r", "line_widths": 3},
               {"op": "draw_texts", "texts": ["cat"], "positions": [[33, 120]],
                "bboxes": {"facecolor": "black", "alpha": 0.8, "pad": 0.7,
                           "edgecolor": "none"}},
               {"op": "draw_binary_masks", "binary_masks": "mask.npy",
                "colors": "b", "alphas": 0.5}]

            Calls: draw_bboxes (bboxes), draw_polygons (polygons), draw_circles (center, radius) — each with \
            edge_colors, line_styles, line_widths, face_colors, alpha; draw_lines (x_datas, y_datas, colors, \
            line_styles, line_widths); draw_points (positions, colors, marker, sizes); draw_texts (texts, \
            positions, font_sizes, colors, vertical_alignments, horizontal_alignments, font_families, \
            font_properties = font file paths, bboxes = dicts of facecolor/fc, edgecolor/ec, alpha, pad, \
            linewidth); draw_binary_masks (binary_masks, colors, alphas).
            Arrays are inline JSON or array files relative to OPS: "a.npy", "arrays.npz#key", or a .npz holding \
            one array. Colours are strings ("g", "red", \
            "#ff8000", "none") or [r, g, b] on the 0-255 scale; style arguments take one value or a list with \
            one per item. Errors name the call and argument (ops[2].bboxes: ...); on any error nothing is \
            written.
            """)

    @Option(help: "The image to draw on (PNG or JPEG).")
    var image: String

    @Option(help: "The JSON file of drawing calls.")
    var ops: String

    @Option(help: "The output image (.png, .jpg or .jpeg).")
    var out: String

    func validate() throws {
        guard (try? ImageFormat(pathExtensionOf: out)) != nil else {
            throw ValidationError("--out `\(out)` must end in .png, .jpg or .jpeg")
        }
    }

    func run() throws {
        let input: Image
        do {
            input = try Image(contentsOfFile: image)
        } catch {
            throw DrawOpsError(location: "--image", message: "\(error)")
        }
        let calls = try DrawOperations.load(path: ops)
        // Warnings (out-of-bounds geometry) go to the visualizer's logger, on stderr.
        let visualizer = try Visualizer(name: "vis-draw", image: input, rank: 0)
        for call in calls { try call.run(on: visualizer) }
        var drawn = try visualizer.getImage()
        if (try? ImageFormat(pathExtensionOf: out)) == .jpeg, drawn.layout == .rgba {
            drawn = drawn.flattened(over: Color(red: 255, green: 255, blue: 255))
        }
        do {
            try drawn.write(to: out)
        } catch {
            throw DrawOpsError(location: "--out", message: "\(error)")
        }
        CommandOutput.report("draw", wrote: [out])
    }
}
