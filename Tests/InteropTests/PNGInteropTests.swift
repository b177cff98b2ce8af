import Foundation
import Testing
import VisCore
import VisTestSupport

/// PNG files written by independent writers (pypng, Pillow) decode to the pixels those writers meant, and
/// PNG files we write are read identically by Pillow and pass `pngcheck`.
@Suite("PNG interop")
struct PNGInteropTests {
    /// pypng writes every colour type, bit depth, tRNS form and Adam7 interlacing; numpy computes the 8-bit
    /// pixels our decoder must produce (16-bit rounded to 8, low bit depths scaled to 0-255, tRNS → alpha,
    /// gray+alpha → RGBA). One line per file: `name width height channels`.
    static let corpusScript = #"""
import sys, os, png, numpy as np
out = sys.argv[1]
W, H = 13, 11
rng = np.random.default_rng(7)
def scale(values, depth):
    values = values.astype(np.int64)
    if depth == 16:
        return ((2 * values + 257) // 514).astype(np.uint8)
    return (values * 255 // ((1 << depth) - 1)).astype(np.uint8)
def emit(name, writer_args, rows, expected):
    for interlace in (False, True):
        full = f"{name}-{'adam7' if interlace else 'flat'}"
        with open(os.path.join(out, full + ".png"), "wb") as f:
            png.Writer(W, H, interlace=interlace, **writer_args).write(f, rows.reshape(H, -1).tolist())
        expected.astype(np.uint8).tofile(os.path.join(out, full + ".raw"))
        print(full, W, H, expected.shape[2])
for depth in (1, 2, 4, 8, 16):
    g = rng.integers(0, 1 << depth, size=(H, W))
    emit(f"gray{depth}", dict(greyscale=True, bitdepth=depth), g, scale(g, depth)[:, :, None])
    key = int(g[0, 0])
    alpha = np.where(g == key, 0, 255)
    gray8 = scale(g, depth)
    emit(f"gray{depth}-trns", dict(greyscale=True, bitdepth=depth, transparent=key), g,
         np.dstack([gray8, gray8, gray8, alpha]))
for depth in (8, 16):
    ga = rng.integers(0, 1 << depth, size=(H, W, 2))
    g8, a8 = scale(ga[:, :, 0], depth), scale(ga[:, :, 1], depth)
    emit(f"grayalpha{depth}", dict(greyscale=True, alpha=True, bitdepth=depth), ga, np.dstack([g8, g8, g8, a8]))
    rgb = rng.integers(0, 1 << depth, size=(H, W, 3))
    rgb[0, 1] = rgb[0, 0]
    emit(f"rgb{depth}", dict(greyscale=False, bitdepth=depth), rgb, scale(rgb, depth))
    key = tuple(int(v) for v in rgb[0, 0])
    alpha = np.where((rgb == np.array(key)).all(axis=2), 0, 255)
    emit(f"rgb{depth}-trns", dict(greyscale=False, bitdepth=depth, transparent=key), rgb,
         np.dstack([scale(rgb, depth), alpha]))
    rgba = rng.integers(0, 1 << depth, size=(H, W, 4))
    emit(f"rgba{depth}", dict(greyscale=False, alpha=True, bitdepth=depth), rgba, scale(rgba, depth))
for depth in (1, 2, 4, 8):
    count = 1 << depth
    colours = rng.integers(0, 256, size=(count, 3))
    index = rng.integers(0, count, size=(H, W))
    emit(f"palette{depth}", dict(palette=[tuple(int(v) for v in c) for c in colours], bitdepth=depth), index,
         colours[index])
    alphas = rng.integers(0, 256, size=count)
    # tRNS may be shorter than the palette: entries past it are opaque.
    with_alpha = [tuple(int(v) for v in c) + (int(a),) for c, a in zip(colours, alphas)][: max(1, count // 2)]
    without = [tuple(int(v) for v in c) for c in colours][len(with_alpha):]
    full_alpha = np.concatenate([alphas[: len(with_alpha)], np.full(count - len(with_alpha), 255)])
    emit(f"palette{depth}-trns", dict(palette=with_alpha + without, bitdepth=depth), index,
         np.dstack([colours[index], full_alpha[index]]))
"""#

    @Test("every colour type, bit depth, tRNS form and interlacing decodes to the expected 8-bit pixels")
    func decodesIndependentCorpus() throws {
        let directory = try TestSupport.makeTemporaryDirectory("png-corpus")
        defer { try? FileManager.default.removeItem(at: directory) }
        let listing = try TestSupport.runPython(Self.corpusScript, arguments: [directory.path])
        let lines = listing.split(separator: "\n")
        #expect(lines.count == 52)
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            try #require(fields.count == 4)
            let name = fields[0]
            let (width, height, channels) = (Int(fields[1]) ?? -1, Int(fields[2]) ?? -1, Int(fields[3]) ?? -1)
            let image = try Image(contentsOfFile: directory.appendingPathComponent(name + ".png").path)
            let raw = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name + ".raw")))
            #expect(image.width == width && image.height == height, "\(name)")
            #expect(image.channels == channels, "\(name): layout \(image.layout)")
            #expect(image.pixels == raw, "\(name): pixels differ from the writer's intent")
        }
    }

    @Test("files we write are read identically by Pillow and pass pngcheck", arguments: PixelLayout.allCases)
    func pillowReadsOurFiles(layout: PixelLayout) throws {
        let directory = try TestSupport.makeTemporaryDirectory("png-pillow")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = InteropPattern.make(width: 61, height: 29, layout: layout)
        var paths: [String] = []
        for level in [0, 1, 6, 9] {
            let path = directory.appendingPathComponent("level\(level).png").path
            try image.writePNG(to: path, compressionLevel: level)
            paths.append(path)
        }
        let rawPath = directory.appendingPathComponent("expected.raw").path
        try Data(image.pixels).write(to: URL(fileURLWithPath: rawPath))
        let mode = [PixelLayout.gray: "L", .rgb: "RGB", .rgba: "RGBA"][layout] ?? "?"
        let output = try TestSupport.runPython(
            """
            import sys, numpy as np
            from PIL import Image
            expected = np.fromfile(sys.argv[1], np.uint8)
            for path in sys.argv[2:]:
                with Image.open(path) as im:
                    assert im.format == "PNG" and im.mode == "\(mode)", (im.format, im.mode)
                    assert im.size == (\(image.width), \(image.height)), im.size
                    assert np.array_equal(np.asarray(im).reshape(-1), expected), path
            print("ok", len(sys.argv) - 2)
            """, arguments: [rawPath] + paths)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "ok 4")
        for path in paths {
            let check = try TestSupport.runCapturing("/usr/bin/env", arguments: ["pngcheck", path])
            #expect(check.status == 0, "pngcheck \(path): \(check.stdout) \(check.stderr)")
            #expect(check.stdout.contains("OK"), "pngcheck \(path): \(check.stdout)")
        }
    }

    @Test("fast-encoder files are read identically by Pillow, OpenCV and pngcheck", arguments: PixelLayout.allCases)
    func fastEncoderFilesReadEverywhere(layout: PixelLayout) throws {
        let directory = try TestSupport.makeTemporaryDirectory("png-fast-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Odd sizes, noise, and a flat image with a box (long zero runs); 700×515 is encoded in bands.
        var images: [Image] = []
        for (width, height) in [(1, 1), (1, 9), (9, 1), (31, 17), (700, 515)] {
            images.append(InteropPattern.make(width: width, height: height, layout: layout))
            var flat = try Image(width: width, height: height, layout: layout)
            for y in 0..<height / 2 {
                for index in 0..<(width / 2) * layout.channels {
                    flat.pixels[y * flat.rowStride + index] = UInt8(truncatingIfNeeded: 200 + index % layout.channels)
                }
            }
            images.append(flat)
        }
        var arguments: [String] = []
        for (index, image) in images.enumerated() {
            let path = directory.appendingPathComponent("fast\(index).png").path
            try image.writePNG(to: path, compression: .fast)
            let rawPath = directory.appendingPathComponent("fast\(index).raw").path
            try Data(image.pixels).write(to: URL(fileURLWithPath: rawPath))
            arguments += [path, rawPath, "\(image.width)", "\(image.height)"]
        }
        let mode = [PixelLayout.gray: "L", .rgb: "RGB", .rgba: "RGBA"][layout] ?? "?"
        let output = try TestSupport.runPython(
            """
            import sys, numpy as np, cv2
            from PIL import Image
            args = sys.argv[1:]
            checked = 0
            for i in range(0, len(args), 4):
                path, raw, w, h = args[i], args[i + 1], int(args[i + 2]), int(args[i + 3])
                expected = np.fromfile(raw, np.uint8).reshape(h, w, -1)
                with Image.open(path) as im:
                    assert im.format == "PNG" and im.mode == "\(mode)", (path, im.mode)
                    pillow = np.asarray(im).reshape(h, w, -1)
                    assert np.array_equal(pillow, expected), "Pillow " + path
                opencv = cv2.imread(path, cv2.IMREAD_UNCHANGED)
                assert opencv is not None, "OpenCV cannot read " + path
                opencv = opencv.reshape(h, w, -1)
                if opencv.shape[2] == 3:
                    opencv = opencv[:, :, ::-1]
                elif opencv.shape[2] == 4:
                    opencv = opencv[:, :, [2, 1, 0, 3]]
                assert np.array_equal(opencv, expected), "OpenCV " + path
                checked += 1
            print("ok", checked)
            """, arguments: arguments)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "ok \(images.count)")
        for index in images.indices {
            let path = directory.appendingPathComponent("fast\(index).png").path
            let check = try TestSupport.runCapturing("/usr/bin/env", arguments: ["pngcheck", path])
            #expect(check.status == 0, "pngcheck \(path): \(check.stdout) \(check.stderr)")
            #expect(check.stdout.contains("OK"), "pngcheck \(path): \(check.stdout)")
        }
    }

    @Test("files Pillow writes decode to Pillow's own pixels", arguments: ["L", "RGB", "RGBA", "LA", "P", "1", "I;16"])
    func pillowFilesDecode(mode: String) throws {
        let directory = try TestSupport.makeTemporaryDirectory("png-from-pillow")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("in.png").path
        let rawPath = directory.appendingPathComponent("expected.raw").path
        // The expected 8-bit view: "LA" expands to RGBA (our gray+alpha layout); 16-bit rounds like libpng.
        try TestSupport.runPython(
            #"""
            import sys, numpy as np
            from PIL import Image
            mode, path, raw = sys.argv[1:]
            rng = np.random.default_rng(3)
            base = Image.fromarray(rng.integers(0, 256, size=(19, 23, 3), dtype=np.uint8), "RGB")
            if mode == "I;16":
                values = rng.integers(0, 65536, size=(19, 23)).astype(np.uint16)
                Image.fromarray(values).save(path)
                expected = ((2 * values.astype(np.int64) + 257) // 514).astype(np.uint8)
            else:
                im = base.convert(mode)
                if mode in ("LA", "RGBA"):
                    im.putalpha(Image.fromarray(rng.integers(0, 256, size=(19, 23), dtype=np.uint8), "L"))
                im.save(path)
                target = {"L": "L", "RGB": "RGB", "RGBA": "RGBA", "LA": "RGBA", "P": "RGB", "1": "L"}[mode]
                expected = np.asarray(Image.open(path).convert(target))
            expected.astype(np.uint8).tofile(raw)
            """#, arguments: [mode, path, rawPath])
        let image = try Image(contentsOfFile: path)
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: rawPath)))
        #expect(image.width == 23 && image.height == 19)
        #expect(image.pixels == raw, "mode \(mode) decoded as \(image.layout)")
    }
}

/// A deterministic test pattern for the interop tests (test targets do not share sources).
enum InteropPattern {
    static func make(width: Int, height: Int, layout: PixelLayout, seed: UInt32 = 5) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * layout.channels)
        var state = seed
        for index in pixels.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            pixels[index] = UInt8(truncatingIfNeeded: index &* 31 &+ Int(state >> 27))
        }
        guard let image = try? Image(width: width, height: height, layout: layout, pixels: pixels) else {
            preconditionFailure("the pattern's sample count matches its size by construction")
        }
        return image
    }
}
