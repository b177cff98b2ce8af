import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis browse`, running the built executable.
@Suite("vis browse")
struct BrowseCommandTests {
    typealias Result = (status: Int32, stdout: String, stderr: String)

    static func vis(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: arguments, environment: environment)
    }

    /// A gradient image, different for each `seed`.
    static func image(width: Int, height: Int, seed: Int) throws -> Image {
        var pixels = [UInt8]()
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8((x * 7 + seed * 40) % 256), UInt8((y * 9) % 256), UInt8((x + y + seed) % 256)] }
        }
        return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// An ImageNet-style folder: `cat/a.png`, `cat/broken.png` (not an image), `dog/b.jpg`, `c.png`; and a
    /// two-view pipeline config.
    static func dataset() throws -> URL {
        let root = try TestSupport.makeTemporaryDirectory("vis-browse")
        let data = root.appendingPathComponent("data")
        for folder in ["cat", "dog"] {
            try FileManager.default.createDirectory(at: data.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try image(width: 40, height: 30, seed: 1).writePNG(to: data.appendingPathComponent("cat/a.png").path)
        try Data("not a PNG".utf8).write(to: data.appendingPathComponent("cat/broken.png"))
        try image(width: 36, height: 36, seed: 2).writeJPEG(to: data.appendingPathComponent("dog/b.jpg").path)
        try image(width: 24, height: 20, seed: 3).writePNG(to: data.appendingPathComponent("c.png").path)
        let pipeline = """
            {"pipeline": [
              {"type": "LoadImageFromFile"},
              {"type": "MultiView", "num_views": 2, "transforms": [[
                {"type": "RandomResizedCrop", "size": 16, "scale": [0.2, 1.0]},
                {"type": "RandomFlip", "prob": 0.5},
                {"type": "RandomGrayscale", "prob": 0.3, "keep_channels": true}
              ]]}
            ]}
            """
        try Data(pipeline.utf8).write(to: root.appendingPathComponent("pipeline.json"))
        return root
    }

    @Test("a folder through a two-view config: views side by side as DIR/<file name>, a broken image skipped and counted")
    func folder() throws {
        let root = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = { (name: String) in root.appendingPathComponent(name).path }
        let arguments = ["browse", path("data"), "--config", path("pipeline.json"), "--not-show", "--seed", "3"]
        let result = try Self.vis(arguments + ["--output-dir", path("out")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "browse: \(path("out"))\n")
        #expect(result.stderr.contains("warning: skipping \(path("data/cat/broken.png")): "), "\(result.stderr)")
        #expect(result.stderr.contains("browse: skipped 1 of 4 samples"), "\(result.stderr)")
        #expect(!result.stderr.contains("\r"), "no progress bar when stderr is not a terminal")
        let written = try FileManager.default.contentsOfDirectory(atPath: path("out")).sorted()
        #expect(written == ["a.png", "b.jpg", "c.png"])
        for name in ["a.png", "c.png"] {
            let drawn = try Image(contentsOfFile: path("out/\(name)"))
            #expect(drawn.width == 32 && drawn.height == 16, "two 16-px views side by side: \(name)")
        }
        // The same seed reproduces every byte; another seed draws other crops.
        let again = try Self.vis(arguments + ["--output-dir", path("again")])
        #expect(again.status == 0)
        let other = try Self.vis(
            ["browse", path("data"), "--config", path("pipeline.json"), "--not-show", "--seed", "4", "--output-dir", path("other")])
        #expect(other.status == 0)
        var differs = false
        for name in written {
            let first = try Data(contentsOf: URL(fileURLWithPath: path("out/\(name)")))
            #expect(first == (try Data(contentsOf: URL(fileURLWithPath: path("again/\(name)")))), "\(name) reproduced")
            let other = try Data(contentsOf: URL(fileURLWithPath: path("other/\(name)")))
            differs = differs || first != other
        }
        #expect(differs, "another seed gives other views")
        // A drawing that cannot be written stops the run (a data error), unlike an image that cannot be read.
        try FileManager.default.createDirectory(atPath: path("blocked/c.png"), withIntermediateDirectories: true)
        let blocked = try Self.vis(arguments + ["--output-dir", path("blocked")])
        #expect(blocked.status == 1 && blocked.stderr.contains("Error: --output-dir: "), "\(blocked.stderr)")
        // --limit draws the first samples only, with the same views.
        let limited = try Self.vis(arguments + ["--output-dir", path("limited"), "--limit", "1"])
        #expect(limited.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("limited")) == ["c.png"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("limited/c.png"))) == Data(contentsOf: URL(fileURLWithPath: path("out/c.png"))))
    }

    @Test("a list file (paths relative to the list or --data-root) and a COCO JSON; a missing image is skipped")
    func listAndCOCO() throws {
        let root = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = { (name: String) in root.appendingPathComponent(name).path }
        try Data("cat/a.png 0\n\nmissing.png 1\nc.png 2\n".utf8).write(to: root.appendingPathComponent("data/train.txt"))
        let listed = try Self.vis(["browse", path("data/train.txt"), "--output-dir", path("list"), "--not-show"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stderr.contains("warning: skipping \(path("data/missing.png"))"), "\(listed.stderr)")
        #expect(listed.stderr.contains("skipped 1 of 3 samples"), "\(listed.stderr)")
        // Without a pipeline the image is drawn as loaded.
        #expect(try Image(contentsOfFile: path("list/a.png")) == (try Image(contentsOfFile: path("data/cat/a.png"))))

        try Data("cat/a.png 0\n".utf8).write(to: root.appendingPathComponent("elsewhere.txt"))
        let rooted = try Self.vis([
            "browse", path("elsewhere.txt"), "--data-root", path("data"), "--output-dir", path("rooted"), "--not-show",
        ])
        #expect(rooted.status == 0 && FileManager.default.fileExists(atPath: path("rooted/a.png")), "\(rooted.stderr)")

        try FileManager.default.copyItem(atPath: path("data/c.png"), toPath: path("data/c.image"))
        let coco = #"{"images": [{"id": 1, "file_name": "c.png"}, {"id": 2, "file_name": "dog/b.jpg"}, {"id": 3, "file_name": "c.image"}], "annotations": []}"#
        try Data(coco.utf8).write(to: root.appendingPathComponent("data/instances.json"))
        let fromCOCO = try Self.vis(["browse", path("data/instances.json"), "--output-dir", path("coco"), "--not-show"])
        #expect(fromCOCO.status == 0, "\(fromCOCO.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("coco")).sorted() == ["b.jpg", "c.image.png", "c.png"])
        #expect(try Image(contentsOfFile: path("coco/c.png")) == (try Image(contentsOfFile: path("data/c.png"))))

        // Two images of one name (class folders may share names) do not overwrite each other; labels are optional.
        try FileManager.default.copyItem(atPath: path("data/cat/a.png"), toPath: path("data/dog/a.png"))
        try Data("cat/a.png\ndog/a.png 1\n".utf8).write(to: root.appendingPathComponent("data/dup.txt"))
        let duplicates = try Self.vis(["browse", path("data/dup.txt"), "--output-dir", path("dup"), "--not-show"])
        #expect(duplicates.status == 0, "\(duplicates.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("dup")).sorted() == ["a.png", "a_2.png"])

        // Without --output-dir each drawing is shown; off a terminal that is a temporary PNG whose path is printed.
        try FileManager.default.createDirectory(atPath: path("shown"), withIntermediateDirectories: true)
        let shown = try Self.vis(
            ["browse", path("data/instances.json"), "--limit", "1", "--show-interval", "0"],
            environment: ["TMPDIR": path("shown"), "VIS_SHOW": "file"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let shownFile = try #require(shown.stdout.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        #expect(shownFile.hasPrefix(path("shown")), "\(shown.stdout)")
        #expect(try Image(contentsOfFile: shownFile) == (try Image(contentsOfFile: path("data/c.png"))))

        // Broken sources are data errors naming the file.
        try Data("cat/a.png zero\n".utf8).write(to: root.appendingPathComponent("bad.txt"))
        let badList = try Self.vis(["browse", path("bad.txt"), "--output-dir", path("x"), "--not-show"])
        #expect(badList.status == 1 && badList.stderr.contains("\(path("bad.txt")): line 1: expected `path label`"), "\(badList.stderr)")
        try Data(#"{"categories": []}"#.utf8).write(to: root.appendingPathComponent("bad.json"))
        let badCOCO = try Self.vis(["browse", path("bad.json"), "--output-dir", path("x"), "--not-show"])
        #expect(badCOCO.status == 1 && badCOCO.stderr.contains("needs an `images` list"), "\(badCOCO.stderr)")
        try Data(#"{"pipeline": [{"type": "RandomFlip", "probability": 0.5}]}"#.utf8).write(to: root.appendingPathComponent("bad-pipeline.json"))
        let badConfig = try Self.vis(["browse", path("data"), "--config", path("bad-pipeline.json"), "--output-dir", path("x"), "--not-show"])
        #expect(badConfig.status == 1 && badConfig.stderr.contains("--config \(path("bad-pipeline.json")): "), "\(badConfig.stderr)")
        #expect(badConfig.stderr.contains("pipeline[0]"), "the config entry is named: \(badConfig.stderr)")
        let allMissing = try Self.vis(["browse", path("nope"), "--output-dir", path("x"), "--not-show"])
        #expect(allMissing.status == 1 && allMissing.stderr.contains("\(path("nope")): no such file or directory"), "\(allMissing.stderr)")
    }

    @Test("--views: views and masks written by NumPy come back exactly (uint8 and float, contrastive and masked)")
    func viewsRoundTrip() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-browse-views")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = { (name: String) in root.appendingPathComponent(name).path }
        // Two samples of two 8×10 views; a 2×5 patch mask per sample (4×2-pixel patches); the expected drawings as
        // Python makes them: views side by side, and the first view with the mask upsampled as MMSelfSup's
        // `_draw_mask` does and blended as MMEngine's `draw_binary_masks` does (OpenCV's addWeighted).
        try TestSupport.runPython(
            """
            import sys, cv2, numpy as np
            from PIL import Image
            out = sys.argv[1]
            rng = np.random.default_rng(7)
            inputs = rng.integers(0, 256, size=(2, 2, 3, 8, 10), dtype=np.uint8)
            mask = rng.integers(0, 2, size=(2, 2, 5)).astype(np.float32)
            np.savez(out + '/u8.npz', inputs=inputs)
            np.savez(out + '/f32.npz', inputs=inputs.astype(np.float32) + 0.3, mask=mask)
            for i in range(2):
                Image.fromarray(np.concatenate(list(inputs[i]), axis=-1).transpose(1, 2, 0)).save(f'{out}/expected_{i}.png')
                # MMSelfSup's _draw_mask loop, then MMEngine's draw_binary_masks with colour k and alpha 0.8.
                up = np.zeros((8, 10), dtype=bool)
                for y in range(8):
                    for x in range(10):
                        up[y, x] = mask[i][y // 4][x // 2]
                view = np.ascontiguousarray(inputs[i, 0].transpose(1, 2, 0))
                colored = cv2.bitwise_and(np.zeros_like(view), np.zeros_like(view), mask=up.astype(np.uint8))
                colored = colored + cv2.bitwise_and(view, view, mask=(~up).astype(np.uint8) * 255)
                drawn = cv2.addWeighted(view, 1 - 0.8, colored, 0.8, 0)
                Image.fromarray(drawn).save(f'{out}/expected_masked_{i}.png')
            """, arguments: [root.path])
        let plain = try Self.vis(["browse", "--views", path("u8.npz"), "--output-dir", path("u8"), "--not-show"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let masked = try Self.vis(["browse", "--views", path("f32.npz"), "--output-dir", path("f32"), "--not-show"])
        #expect(masked.status == 0, "\(masked.stderr)")
        for index in 0..<2 {
            #expect(try Image(contentsOfFile: path("u8/\(index).png")) == (try Image(contentsOfFile: path("expected_\(index).png"))))
            #expect(
                try Image(contentsOfFile: path("f32/\(index).png"))
                    == (try Image(contentsOfFile: path("expected_masked_\(index).png"))))
        }
        try NDArray.writeNPZ(["inputs": try NDArray([UInt8](repeating: 0, count: 12), shape: [1, 3, 2, 2])], to: path("bad.npz"))
        let bad = try Self.vis(["browse", "--views", path("bad.npz"), "--output-dir", path("bad"), "--not-show"])
        #expect(bad.status == 1 && bad.stderr.contains("--views \(path("bad.npz")): `inputs` must have shape (N, V, 3, H, W)"), "\(bad.stderr)")
    }

    @Test("--pipeline presets, and a mask generator's patch mask drawn over the view it belongs to")
    func presetsAndMasks() throws {
        let root = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = { (name: String) in root.appendingPathComponent(name).path }
        for (preset, width) in [("mocov2", 448), ("mae", 224), ("simmim", 192)] {
            let result = try Self.vis(
                ["browse", path("data"), "--pipeline", preset, "--limit", "1", "--output-dir", path(preset), "--not-show"])
            #expect(result.status == 0, "\(preset): \(result.stderr)")
            let drawn = try Image(contentsOfFile: path("\(preset)/c.png"))
            #expect(drawn.width == width && drawn.height == width / (preset == "mocov2" ? 2 : 1), "\(preset)")
        }
        // MAE's views with and without its mask generator: the generator draws last, so the views are the same and
        // exactly 147 of the 14×14 patches (75 %) come out at 0.2 × the pixel, the others unchanged.
        let views = #"{"type": "RandomResizedCrop", "size": 224, "scale": [0.2, 1.0], "interpolation": "bicubic", "backend": "pillow"}, {"type": "RandomFlip", "prob": 0.5}"#
        try Data(#"{"pipeline": [\#(views)]}"#.utf8).write(to: root.appendingPathComponent("plain.json"))
        try Data(#"{"pipeline": [\#(views), {"type": "MAEMaskGenerator", "patch_size": 16, "mask_ratio": 0.75}]}"#.utf8)
            .write(to: root.appendingPathComponent("masked.json"))
        for name in ["plain", "masked"] {
            let result = try Self.vis(
                ["browse", path("data"), "--config", path("\(name).json"), "--limit", "1", "--seed", "9",
                 "--output-dir", path(name), "--not-show"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
        let plain = try Image(contentsOfFile: path("plain/c.png"))
        let masked = try Image(contentsOfFile: path("masked/c.png"))
        var removed = 0
        for row in 0..<14 {
            for column in 0..<14 {
                var darkened = true
                var same = true
                for y in (row * 16)..<((row + 1) * 16) {
                    for x in (column * 16)..<((column + 1) * 16) {
                        let expected = plain[x, y].map { UInt8((Double($0) * 0.2).rounded()) }
                        darkened = darkened && Array(masked[x, y]) == expected
                        same = same && masked[x, y] == plain[x, y]
                    }
                }
                #expect(darkened || same, "patch (\(row), \(column)) is either removed or kept whole")
                if darkened && !same { removed += 1 }
            }
        }
        #expect(removed == 147)
        let unknown = try Self.vis(["browse", path("data"), "--pipeline", "moco", "--output-dir", path("x"), "--not-show"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--pipeline: unknown preset `moco`; expected one of"), "\(unknown.stderr)")
    }

    @Test("a progress bar on a terminal's stderr (MMEngine's ProgressBar), with warnings on lines of their own")
    func progressBarOnTerminal() throws {
        let root = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: root) }
        let command = [try TestSupport.productPath("vis"), "browse", root.appendingPathComponent("data").path,
            "--output-dir", root.appendingPathComponent("out").path, "--not-show"]
        // `script` runs the command on a pseudo-terminal and copies what it writes.
        #if os(Linux)
            let arguments = ["-qec", command.joined(separator: " "), "/dev/null"]
        #else
            let arguments = ["-q", "/dev/null"] + command
        #endif
        let result = try TestSupport.runCapturing("/usr/bin/script", arguments: arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("] 0/4, 0.0 task/s, elapsed: 0s, ETA:"), "\(result.stdout)")
        #expect(result.stdout.contains("[>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>] 4/4,"), "\(result.stdout)")
        #expect(result.stdout.contains("\r\u{1B}[Kwarning: skipping \(root.appendingPathComponent("data/cat/broken.png").path)"))
    }

    @Test("usage errors exit 64 naming the flag")
    func usage() throws {
        for (arguments, message) in [
            (["browse"], "give exactly one of SOURCE and --views"),
            (["browse", "data", "--views", "v.npz"], "give exactly one of SOURCE and --views"),
            (["browse", "data", "--not-show"], "--not-show without --output-dir"),
            (["browse", "--views", "v.npz", "--config", "p.json"], "drop --config"),
            (["browse", "--views", "v.npz", "--pipeline", "mae"], "drop --pipeline"),
            (["browse", "data", "--pipeline", "mae", "--config", "p.json"], "at most one of --pipeline NAME and --config"),
        ] {
            let result = try Self.vis(arguments)
            #expect(result.status == 64 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
