import Foundation
import Testing
import VisCore
import VisTestSupport

/// `vis draw` reads ops with the config decoder: array files as `vis datasample` reads them, key-path errors.
@Suite("vis draw ops decoding")
struct DrawCommandOpsDecodingTests {
    @Test("array arguments take .npz#key, a single-array .npz and .npy, relative to the ops file")
    func arrayFiles() throws {
        try DrawCommandTests.withWorkspace { workspace in
            var bits = [Bool](repeating: false, count: 120 * 80)
            for y in 10..<30 { for x in 60..<100 { bits[y * 120 + x] = true } }
            let boxes = try NDArray([10.0, 10, 50, 40], shape: [1, 4])
            let masks = try NDArray(bits, shape: [1, 80, 120])
            let centers = try NDArray([90.0, 60], shape: [1, 2])
            try NDArray.writeNPZ(["boxes": boxes, "masks": masks, "centers": centers], to: workspace.path("arrays.npz"))
            try NDArray.writeNPZ(["only": try NDArray([6.0], shape: [1])], to: workspace.path("radius.npz"))
            try workspace.write(
                ops: """
                    [{"op": "draw_bboxes", "bboxes": "arrays.npz#boxes", "face_colors": [0, 0, 255], "alpha": 1},
                     {"op": "draw_binary_masks", "binary_masks": "arrays.npz#masks", "colors": "r", "alphas": 1.0},
                     {"op": "draw_circles", "center": "arrays.npz#centers", "radius": "radius.npz", "face_colors": "g",
                      "alpha": 1}]
                    """)
            let result = try workspace.draw()
            #expect(result.status == 0, "\(result.stderr)")
            let image = try Image(contentsOfFile: workspace.path("out.png"))
            #expect(Array(image[30, 25]) == [0, 0, 255], "the box from arrays.npz#boxes")
            #expect(Array(image[80, 20]) == [255, 0, 0], "the mask from arrays.npz#masks")
            #expect(Array(image[90, 60]) == [0, 128, 0], "the circle from arrays.npz#centers and radius.npz")
            #expect(Array(image[5, 5]) == [200, 200, 200])

            try workspace.write(ops: #"[{"op": "draw_bboxes", "bboxes": "arrays.npz#nope"}]"#)
            let missingKey = try workspace.draw()
            #expect(missingKey.status != 0)
            #expect(
                missingKey.stderr.contains("ops[0].bboxes: cannot read")
                    && missingKey.stderr.contains("no array `nope`; it holds boxes, centers, masks"),
                "\(missingKey.stderr)")
            try workspace.write(ops: #"[{"op": "draw_bboxes", "bboxes": "arrays.npz"}]"#)
            let ambiguous = try workspace.draw()
            #expect(ambiguous.stderr.contains("name one as `arrays.npz#key`"), "\(ambiguous.stderr)")
        }
    }

    @Test("a mistyped op says so (not that it is missing); errors name nested key paths")
    func keyPathErrors() throws {
        let cases: [(ops: String, message: String)] = [
            (#"[{"op": 5}]"#, "ops[0].op: expected a string, found an integer"),
            (#"[{"bboxes": [[1, 2, 3, 4]]}]"#, "ops[0].op: missing"),
            (#"[{"op": "draw_bboxes"}]"#, "ops[0].bboxes: missing (required by draw_bboxes)"),
            (#"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]], "alpha": "x"}]"#, "ops[0].alpha: expected a number, found a string"),
            (
                #"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]], "line_widths": [1, "2"]}]"#,
                "ops[0].line_widths[1]: expected a number, found a string"
            ),
            (
                #"[{"op": "draw_texts", "texts": ["a", 2], "positions": [[1, 2], [3, 4]]}]"#,
                "ops[0].texts[1]: expected a string, found an integer"
            ),
            (
                #"[{"op": "draw_texts", "texts": ["a"], "positions": [[1, 2]], "bboxes": [{"pad": "x"}]}]"#,
                "ops[0].bboxes[0].pad: expected a number, found a string"
            ),
            (
                #"[{"op": "draw_polygons", "polygons": [[[1, 2], [3, 4], [5, 6]], [[1, 2], [3, "a"]]]}]"#,
                "ops[0].polygons[1]: expected nested arrays of numbers"
            ),
            (#"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]], "edge_colors": true}]"#, "ops[0].edge_colors: expected a colour string"),
            (#"[{"op": "draw_bboxes", "bboxes": [[1, 2, 3, 4]]}, {"op": "draw_bboxes", "bboxes": "x.txt"}]"#, "ops[1].bboxes: cannot read"),
        ]
        try DrawCommandTests.withWorkspace { try $0.expectRejected(cases) }
    }
}
