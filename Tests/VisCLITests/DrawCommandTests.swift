import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis draw`, running the built executable.
@Suite("vis draw")
struct DrawCommandTests {
    struct Workspace {
        let directory: URL
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() }

        func write(ops: String) throws {
            try Data(ops.utf8).write(to: directory.appendingPathComponent("ops.json"))
        }

        /// Runs each ops file and expects it to fail with `message` on stderr (and no Swift decoding jargon),
        /// leaving no output file.
        func expectRejected(_ cases: [(ops: String, message: String)]) throws {
            for (ops, message) in cases {
                try write(ops: ops)
                let result = try draw()
                #expect(result.status != 0, "\(ops)")
                #expect(result.stderr.contains(message), "\(ops): \(result.stderr)")
                #expect(!result.stderr.contains("Expected to decode"), "\(ops): \(result.stderr)")
                #expect(try files() == ["in.png", "ops.json"], "\(ops): no partial output")
            }
        }

        /// Runs `vis draw` on `in.png` with `ops.json`, writing `out.png`.
        func draw() throws -> (status: Int32, stdout: String, stderr: String) {
            try TestSupport.runCapturing(
                try TestSupport.productPath("vis"),
                arguments: ["draw", "--image", path("in.png"), "--ops", path("ops.json"), "--out", path("out.png")])
        }
    }

    static func withWorkspace(_ body: (Workspace) throws -> Void) throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-draw")
        defer { try? FileManager.default.removeItem(at: directory) }
        let workspace = Workspace(directory: directory)
        try Image(width: 120, height: 80, layout: .rgb, fill: [200, 200, 200]).writePNG(to: workspace.path("in.png"))
        try body(workspace)
    }

    @Test("Every call with MMEngine's argument names draws; masks come inline or from .npy")
    func everyCall() throws {
        try Self.withWorkspace { workspace in
            var bits = [Bool](repeating: false, count: 120 * 80)
            for y in 10..<30 { for x in 60..<100 { bits[y * 120 + x] = true } }
            try NDArray(bits, shape: [80, 120]).writeNPY(to: workspace.path("mask.npy"))
            try workspace.write(
                ops: """
                    [{"op": "draw_bboxes", "bboxes": [[10, 10, 50, 40]], "edge_colors": "r", "line_widths": 3,
                      "face_colors": [0, 0, 255], "alpha": 1},
                     {"op": "draw_binary_masks", "binary_masks": "mask.npy", "colors": "b", "alphas": 0.5},
                     {"op": "draw_binary_masks", "binary_masks": [[[0, 1], [1, 0]]], "colors": [[255, 0, 0]], "alphas": [1.0]}
                    ]
                    """)
            // The 2×2 inline mask does not fit the 120×80 image: the second mask call fails.
            let failed = try workspace.draw()
            #expect(failed.status != 0)
            #expect(
                failed.stderr.contains(
                    "ops[2].binary_masks: expected masks of the image's size 80×120 (H×W), got an array of shape [1, 2, 2]"
                ), "\(failed.stderr)")
            #expect(try workspace.files() == ["in.png", "mask.npy", "ops.json"], "no partial output")

            try workspace.write(
                ops: """
                    [{"op": "draw_bboxes", "bboxes": [[10, 10, 50, 40]], "edge_colors": "r", "line_widths": 3,
                      "face_colors": [0, 0, 255], "alpha": 1},
                     {"op": "draw_binary_masks", "binary_masks": "mask.npy", "colors": "b", "alphas": 0.5},
                     {"op": "draw_texts", "texts": ["cat"], "positions": [[10, 60]], "colors": "w", "font_sizes": 12,
                      "bboxes": {"facecolor": "black", "alpha": 0.8, "pad": 0.7, "edgecolor": "none"}},
                     {"op": "draw_points", "positions": [[100, 60]], "marker": "s", "sizes": 64, "colors": ["m"]},
                     {"op": "draw_lines", "x_datas": [[0, 119]], "y_datas": [[75, 75]], "line_styles": "--", "colors": "k"},
                     {"op": "draw_circles", "center": [80, 60], "radius": [8], "face_colors": "y"},
                     {"op": "draw_polygons", "polygons": [[[60, 40], [70, 50], [60, 50]]], "edge_colors": "g"}]
                    """)
            let result = try workspace.draw()
            #expect(result.status == 0, "\(result.stderr)")
            let image = try Image(contentsOfFile: workspace.path("out.png"))
            #expect(image.width == 120 && image.height == 80)
            #expect(Array(image[30, 25]) == [0, 0, 255], "the box's face")
            // The mask blends (0, 0, 255) at 0.5 into the grey: (100, 100, 228) (127.5 + 100 → 227.5 → 228).
            #expect(Array(image[80, 20]) == [100, 100, 228])
            #expect(Array(image[5, 5]) == [200, 200, 200])
        }
    }

    @Test("Inline masks follow the library's one rule: any non-zero number is inside (0/255, 7, 0.5 as true)")
    func inlineMasksNonZeroIsInside() throws {
        try Self.withWorkspace { workspace in
            func drawn(_ mask: String) throws -> Image {
                try workspace.write(
                    ops: #"[{"op": "draw_binary_masks", "binary_masks": \#(mask), "colors": "r", "alphas": 1.0}]"#)
                let result = try workspace.draw()
                #expect(result.status == 0, "\(mask): \(result.stderr)")
                return try Image(contentsOfFile: workspace.path("out.png"))
            }
            var rows = [[Bool]](repeating: [Bool](repeating: false, count: 120), count: 80)
            rows[3][5] = true
            rows[40][100] = true
            rows[79][0] = true
            func numbers(_ inside: String) -> String {
                "[" + rows.map { "[" + $0.map { $0 ? inside : "0" }.joined(separator: ",") + "]" }.joined(separator: ",")
                    + "]"
            }
            let reference = try drawn("[" + numbers("true").replacingOccurrences(of: "0", with: "false") + "]")
            #expect(reference[5, 3] != [200, 200, 200] && reference[6, 3] == [200, 200, 200])
            for inside in ["1", "255", "7", "0.5", "-3"] {
                #expect(try drawn("[" + numbers(inside) + "]") == reference, "inside = \(inside)")
            }
        }
    }

    @Test("Bad ops files: a clear error naming the call and argument, exit ≠ 0, no output file")
    func badOps() throws {
        let cases: [(ops: String, message: String)] = [
            (#"[{"op": "draw_boxes", "bboxes": [[1, 2, 3, 4]]}]"#, #"ops[0].op: unknown drawing call "draw_boxes""#),
            (
                #"[{"op": "draw_points", "positions": [[1, 1]]}, {"op": "draw_bboxes", "bboxes": [[1, 2, 3]]}]"#,
                "ops[1].bboxes: expected an N×4 array of (x1, y1, x2, y2), got an array of shape [1, 3]"
            ),
            (#"[{"op": "draw_bboxes", "bboxes": [[5, 2, 3, 4]]}]"#, "ops[0].bboxes[0]: expected x1 <= x2 and y1 <= y2"),
            (#"[{"op": "draw_binary_masks", "binary_masks": "missing.npy"}]"#, "ops[0].binary_masks: cannot read"),
            (
                #"[{"op": "draw_texts", "texts": ["a", "b"], "positions": [[1, 2]]}]"#,
                "ops[0].positions: expected an N×2 array"
            ),
            (
                #"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4], [1, 2, 3, 4]], "edge_colors": ["r", "nonsense"]}]"#,
                "ops[0].edge_colors[1]: expected a matplotlib colour name"
            ),
            (
                #"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]], "line_widths": [1, 2], "foo": 1}]"#,
                "ops[0].foo: unknown argument of draw_bboxes"
            ),
            (
                #"[{"op": "draw_lines", "x_datas": [1, 2], "y_datas": [[1, 2]]}]"#,
                "ops[0].y_datas: expected the shape of x_datas, [2]"
            ),
            (
                #"[{"op": "draw_texts", "texts": ["a"], "positions": [1, 2], "font_properties": "no.ttf"}]"#,
                "ops[0].font_properties: font file not found"
            ),
            (
                #"[{"op": "draw_texts", "texts": ["a"], "positions": [1, 2], "bboxes": {"facecolor": "blak"}}]"#,
                "ops[0].bboxes.facecolor: expected"
            ),
            (
                #"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]], "line_styles": "~"}]"#,
                "ops[0].line_styles: expected one of"
            ),
            (#"[{"op": "draw_points", "positions": [[1, 1]], "marker": "h"}]"#, "ops[0].marker: expected one of"),
            (#"[{"op": "draw_circles", "center": [1, 1], "radius": [1, 2]}]"#, "ops[0].center: expected an N×2 array"),
            (#"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]]}, 7]"#, "ops[1]: expected an object"),
            (#"{"op": "draw_bboxes"}"#, "expected a JSON array of drawing calls"),
            (#"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]]"#, "--ops:"),
        ]
        try Self.withWorkspace { try $0.expectRejected(cases) }
    }

    @Test("A missing image or ops file, or an unsupported output extension, is an error before drawing")
    func badArguments() throws {
        try Self.withWorkspace { workspace in
            try workspace.write(ops: "[]")
            let vis = try TestSupport.productPath("vis")
            let noImage = try TestSupport.runCapturing(
                vis,
                arguments: [
                    "draw", "--image", workspace.path("nope.png"), "--ops", workspace.path("ops.json"), "--out",
                    workspace.path("out.png"),
                ])
            #expect(noImage.status != 0 && noImage.stderr.contains("--image"))
            let noOps = try TestSupport.runCapturing(
                vis,
                arguments: [
                    "draw", "--image", workspace.path("in.png"), "--ops", workspace.path("nope.json"), "--out",
                    workspace.path("out.png"),
                ])
            #expect(noOps.status != 0 && noOps.stderr.contains("--ops"))
            let badOut = try TestSupport.runCapturing(
                vis,
                arguments: [
                    "draw", "--image", workspace.path("in.png"), "--ops", workspace.path("ops.json"), "--out",
                    workspace.path("out.gif"),
                ])
            #expect(badOut.status != 0 && badOut.stderr.contains("--out"))
            #expect(try workspace.files() == ["in.png", "ops.json"])
            // An empty list of calls copies the image.
            let empty = try workspace.draw()
            #expect(empty.status == 0)
            #expect(
                try Image(contentsOfFile: workspace.path("out.png"))
                    == (try Image(contentsOfFile: workspace.path("in.png"))))
        }
    }

    @Test("Out-of-bounds geometry warns on stderr and still draws")
    func warnings() throws {
        try Self.withWorkspace { workspace in
            try workspace.write(ops: #"[{"op": "draw_bboxes", "bboxes": [[10, 10, 200, 40]]}]"#)
            let result = try workspace.draw()
            #expect(result.status == 0)
            #expect(
                result.stderr.contains("Warning: The bbox is out of bounds, the drawn bbox may not be in the image"))
        }
    }
}
