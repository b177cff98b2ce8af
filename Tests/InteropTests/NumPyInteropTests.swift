import Foundation
import Testing
import VisCore
import VisTestSupport

/// `.npy`/`.npz` files exchanged with NumPy, and resize/normalisation parity with OpenCV, through the interop
/// Python (`numpy`, `opencv-python-headless`).
@Suite("NumPy interop")
struct NumPyInteropTests {
    /// The little-endian C-order element bytes of `array`: its `.npy` encoding minus the header.
    static func elementBytes(_ array: NDArray) -> [UInt8] {
        Array(array.npyData().suffix(array.count * array.dtype.itemSize))
    }

    static func readBytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    static func manifest(_ directory: URL) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    @Test func readsFilesWrittenByNumPy() throws {
        let directory = try TestSupport.makeTemporaryDirectory("npy-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestSupport.runPython(
            """
            import json, os, sys
            import numpy as np
            out = sys.argv[1]
            rng = np.random.default_rng(7)
            cases = []
            def add(name, array, write=None, expected=None):
                path = os.path.join(out, name + ".npy")
                if write is None:
                    np.save(path, array)
                else:
                    with open(path, "wb") as f:
                        write(f, array)
                exp = np.array(array if expected is None else expected, order="C")
                exp = exp.astype(exp.dtype.newbyteorder("<"))
                with open(os.path.join(out, name + ".bin"), "wb") as f:
                    f.write(exp.tobytes())
                cases.append({"name": name, "shape": list(exp.shape), "dtype": exp.dtype.name})
            for dt in ["float32", "float64", "int8", "int16", "int32", "int64",
                       "uint8", "uint16", "uint32", "uint64"]:
                info = np.finfo(dt) if dt.startswith("float") else np.iinfo(dt)
                base = rng.standard_normal((3, 5)) * 1000
                a = base.astype(dt)
                a.flat[0] = info.max
                a.flat[1] = info.min
                add(dt, a)
            add("bool", rng.random((4, 7)) > 0.5)
            h = (rng.standard_normal((2, 3, 4)) * 100).astype(np.float16)
            h.flat[0] = np.inf
            h.flat[1] = 6e-8
            add("float16", h, expected=h.astype(np.float32))
            add("fortran", np.asfortranarray(rng.standard_normal((3, 4, 5)).astype(np.float32)))
            add("fortran_bool", np.asfortranarray(rng.random((5, 2)) > 0.3))
            add("big_f8", rng.standard_normal((4, 3)).astype(">f8"))
            add("big_i4", rng.integers(-1000, 1000, (6,)).astype(">i4"))
            add("big_u2_fortran", np.asfortranarray(rng.integers(0, 60000, (3, 2)).astype(">u2")))
            add("big_f2", np.array([1.5, -2, 65504], dtype=">f2"), expected=np.array([1.5, -2, 65504], np.float32))
            add("v2", rng.standard_normal((2, 2)), write=lambda f, a: np.lib.format.write_array(f, a, version=(2, 0)))
            add("v3", np.arange(6, dtype=np.int64).reshape(3, 2),
                write=lambda f, a: np.lib.format.write_array(f, a, version=(3, 0)))
            add("empty", np.zeros((0, 3), np.float32))
            add("scalar", np.array(3.25))
            add("featmap", rng.standard_normal((256, 50, 84)).astype(np.float32))
            json.dump(cases, open(os.path.join(out, "manifest.json"), "w"))
            """, arguments: [directory.path])
        let cases = try Self.manifest(directory)
        #expect(cases.count == 23)
        for entry in cases {
            let name = try #require(entry["name"] as? String)
            let array = try NDArray(npyFile: directory.appendingPathComponent(name + ".npy").path)
            #expect(array.shape == (entry["shape"] as? [Int]), "\(name)")
            #expect(array.dtype.rawValue == (entry["dtype"] as? String), "\(name)")
            let expected = try Self.readBytes(directory.appendingPathComponent(name + ".bin"))
            #expect(Self.elementBytes(array) == expected, "\(name)")
        }
    }

    @Test func numPyReadsOurFilesAndWritesTheSameBytes() throws {
        let directory = try TestSupport.makeTemporaryDirectory("npy-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Values (i·37 mod 251) − 100, converted per dtype: NumPy's astype gives the same (wrapping) values.
        let shapes: [[Int]] = [[3, 7], [2, 3, 4], [11], [], [0, 4]]
        var index = 0
        for dtype in DType.allCases {
            let shape = shapes[index % shapes.count]
            index += 1
            let count = shape.reduce(1, *)
            let base = try NDArray((0..<count).map { Int64(($0 * 37) % 251 - 100) }, shape: shape)
            try base.converted(to: dtype).writeNPY(to: directory.appendingPathComponent("\(dtype).npy").path)
        }
        let output = try TestSupport.runPython(
            """
            import io, os, sys
            import numpy as np
            out = sys.argv[1]
            shapes = [(3, 7), (2, 3, 4), (11,), (), (0, 4)]
            names = ["float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                     "uint64", "bool"]
            for i, name in enumerate(names):
                path = os.path.join(out, name + ".npy")
                raw = open(path, "rb").read()
                a = np.load(path)
                shape = shapes[i % len(shapes)]
                n = int(np.prod(shape))
                expected = ((np.arange(n, dtype=np.int64) * 37) % 251 - 100).astype(name).reshape(shape)
                assert a.dtype == np.dtype(name), (name, a.dtype)
                assert a.shape == shape, (name, a.shape)
                assert np.array_equal(a, expected), (name, a, expected)
                buffer = io.BytesIO()
                np.save(buffer, expected)
                assert buffer.getvalue() == raw, (name, buffer.getvalue()[:128], raw[:128])
            print("ok", len(names))
            """, arguments: [directory.path])
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "ok 11")
    }

    @Test func readsNumPyArchivesAndNumPyReadsOurs() throws {
        let directory = try TestSupport.makeTemporaryDirectory("npz-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours: [String: NDArray] = [
            "boxes": try NDArray([[1, 2, 30, 40], [5, 6, 7, 8.5]]),
            "mask": try NDArray([true, false, false, true, true, false], shape: [2, 3]),
        ]
        try NDArray.writeNPZ(ours, to: directory.appendingPathComponent("ours.npz").path)
        try TestSupport.runPython(
            """
            import json, os, sys
            import numpy as np
            out = sys.argv[1]
            ours = np.load(os.path.join(out, "ours.npz"))
            assert sorted(ours.files) == ["boxes", "mask"], ours.files
            assert np.array_equal(ours["boxes"], [[1, 2, 30, 40], [5, 6, 7, 8.5]])
            assert ours["mask"].dtype == np.bool_ and ours["mask"].tolist() == [[True, False, False], [True, True, False]]
            rng = np.random.default_rng(3)
            arrays = {"feat": rng.standard_normal((16, 50, 84)).astype(np.float32),
                      "zeros": np.zeros((300, 300), np.uint8),
                      "labels": rng.integers(0, 80, (37,)),
                      "mask": rng.random((20, 30)) > 0.5}
            np.savez(os.path.join(out, "plain.npz"), **arrays)
            np.savez_compressed(os.path.join(out, "compressed.npz"), rng.standard_normal(5), **arrays)
            for name, a in arrays.items():
                open(os.path.join(out, name + ".bin"), "wb").write(np.ascontiguousarray(a).tobytes())
            print("ok")
            """, arguments: [directory.path])
        for archive in ["plain", "compressed"] {
            let arrays = try NDArray.loadNPZ(from: directory.appendingPathComponent(archive + ".npz").path)
            #expect(Set(arrays.keys) == Set(["feat", "zeros", "labels", "mask"] + (archive == "compressed" ? ["arr_0"] : [])))
            for name in ["feat", "zeros", "labels", "mask"] {
                let array = try #require(arrays[name], "\(archive) \(name)")
                #expect(Self.elementBytes(array) == (try Self.readBytes(directory.appendingPathComponent(name + ".bin"))))
            }
            #expect(arrays["feat"]?.shape == [16, 50, 84])
            #expect(arrays["labels"]?.dtype == .int64)
        }
    }

    @Test func imageResizeMatchesOpenCVExactly() throws {
        let directory = try TestSupport.makeTemporaryDirectory("resize-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestSupport.runPython(
            """
            import json, os, sys
            import cv2
            import numpy as np
            out = sys.argv[1]
            rng = np.random.default_rng(11)
            sizes = [((7, 5), (13, 11)), ((50, 40), (17, 23)), ((800, 1333), (400, 667)), ((9, 9), (4, 4)),
                     ((10, 12), (31, 29)), ((31, 17), (8, 70)), ((64, 64), (32, 32)), ((3, 3), (1, 1)),
                     ((1, 1), (5, 5)), ((100, 3), (1, 300)), ((224, 224), (7, 7)), ((7, 7), (224, 224)),
                     ((33, 65), (66, 130)), ((480, 640), (427, 569))]
            cases = []
            for i, ((h, w), (dh, dw)) in enumerate(sizes):
                channels = [1, 3, 4][i % 3]
                image = rng.integers(0, 256, (h, w, channels), dtype=np.uint8)
                if i % 2:  # smooth content too, not only noise
                    image = cv2.GaussianBlur(image, (5, 5), 2).reshape(h, w, channels)
                np.save(os.path.join(out, f"{i}.npy"), image)
                src = image[:, :, 0] if channels == 1 else image
                for mode, flag in [("bilinear", cv2.INTER_LINEAR), ("nearest", cv2.INTER_NEAREST)]:
                    np.save(os.path.join(out, f"{i}.{mode}.npy"), cv2.resize(src, (dw, dh), interpolation=flag))
                cases.append({"index": i, "width": dw, "height": dh})
            json.dump(cases, open(os.path.join(out, "manifest.json"), "w"))
            """, arguments: [directory.path])
        let cases = try Self.manifest(directory)
        #expect(cases.count == 14)
        for entry in cases {
            let index = try #require(entry["index"] as? Int)
            let width = try #require(entry["width"] as? Int)
            let height = try #require(entry["height"] as? Int)
            let source = try NDArray(npyFile: directory.appendingPathComponent("\(index).npy").path)
            let image = try Image(
                width: source.shape[1], height: source.shape[0], layout: PixelLayout(channels: source.shape[2]),
                pixels: try #require(source.values(as: UInt8.self)))
            for mode in [ResizeInterpolation.bilinear, .nearest] {
                let expected = try NDArray(npyFile: directory.appendingPathComponent("\(index).\(mode).npy").path)
                let resized = try image.resized(width: width, height: height, interpolation: mode)
                let reference = try #require(expected.values(as: UInt8.self))
                let differing = zip(resized.pixels, reference).filter { $0 != $1 }.count
                #expect(resized.pixels.count == reference.count, "case \(index) \(mode)")
                #expect(differing == 0, "case \(index) \(mode): \(differing) samples differ from cv2.resize")
            }
        }
    }

    @Test func normalisationMatchesOpenCV() throws {
        let directory = try TestSupport.makeTemporaryDirectory("normalize-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestSupport.runPython(
            """
            import os, sys
            import cv2
            import numpy as np
            out = sys.argv[1]
            rng = np.random.default_rng(5)
            for i in range(40):
                dtype = np.float32 if i % 4 else np.float64
                shape = tuple(int(v) for v in rng.integers(1, 60, 2))
                a = (rng.standard_normal(shape) * rng.uniform(0.001, 1000) + rng.uniform(-100, 100)).astype(dtype)
                np.save(os.path.join(out, f"{i}.npy"), a)
                # MMEngine's convert_overlay_heatmap.
                norm = np.asarray(cv2.normalize(a, np.zeros(a.shape), 0, 255, cv2.NORM_MINMAX), dtype=np.uint8)
                np.save(os.path.join(out, f"{i}.norm.npy"), norm)
            """, arguments: [directory.path])
        for i in 0..<40 {
            let map = try NDArray(npyFile: directory.appendingPathComponent("\(i).npy").path)
            let expected = try NDArray(npyFile: directory.appendingPathComponent("\(i).norm.npy").path)
            #expect(map.minMaxNormalizedToUInt8() == expected, "case \(i) (\(map.dtype), \(map.shape))")
        }
    }

    @Test func featmapBilinearMatchesTorchFormula() throws {
        // torch is not in the interop venv: this NumPy float32 transcription of ATen's upsample_bilinear2d
        // (align_corners=False, `area_pixel_compute_source_index`) rounds every product, where ATen's x86 build
        // fuses multiply-adds, so it agrees to a few float32 ulps of the values' scale. The bit-exact comparison
        // with torch's own output is FeatmapParityTests' committed references.
        let directory = try TestSupport.makeTemporaryDirectory("bilinear-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestSupport.runPython(
            """
            import json, os, sys
            import numpy as np
            out = sys.argv[1]
            f = np.float32
            def taps(n_in, n_out):
                scale = f(n_in) / f(n_out)
                lo, hi, w0, w1 = [], [], [], []
                for i in range(n_out):
                    src = max(f(scale * (f(i) + f(0.5)) - f(0.5)), f(0))
                    low = min(int(src), n_in - 1)
                    lam = min(max(f(src - f(low)), f(0)), f(1))
                    lo.append(low); hi.append(low + (1 if low < n_in - 1 else 0)); w1.append(lam); w0.append(f(f(1) - lam))
                return lo, hi, np.array(w0, f), np.array(w1, f)
            def resize(x, h, w):
                ylo, yhi, h0, h1 = taps(x.shape[-2], h)
                xlo, xhi, w0, w1 = taps(x.shape[-1], w)
                top = x[..., ylo, :]; bottom = x[..., yhi, :]
                upper = top[..., xlo] * w0 + top[..., xhi] * w1
                lower = bottom[..., xlo] * w0 + bottom[..., xhi] * w1
                return upper * h0[:, None] + lower * h1[:, None]
            rng = np.random.default_rng(2)
            cases = []
            for i, (c, h, w, oh, ow) in enumerate([(3, 7, 7, 224, 224), (8, 7, 7, 32, 48), (2, 50, 84, 800, 1333),
                                                   (4, 40, 30, 13, 17), (1, 5, 9, 5, 9), (2, 1, 1, 3, 4)]):
                x = rng.standard_normal((c, h, w)).astype(f)
                np.save(os.path.join(out, f"{i}.npy"), x)
                np.save(os.path.join(out, f"{i}.out.npy"), resize(x, oh, ow).astype(f))
                cases.append({"index": i, "height": oh, "width": ow})
            json.dump(cases, open(os.path.join(out, "manifest.json"), "w"))
            """, arguments: [directory.path])
        for entry in try Self.manifest(directory) {
            let index = try #require(entry["index"] as? Int)
            let map = try NDArray(npyFile: directory.appendingPathComponent("\(index).npy").path)
            let expected = try NDArray(npyFile: directory.appendingPathComponent("\(index).out.npy").path)
            let resized = try map.resizedBilinear(
                height: try #require(entry["height"] as? Int), width: try #require(entry["width"] as? Int))
            let actual = try #require(resized.values(as: Float.self))
            let reference = try #require(expected.values(as: Float.self))
            #expect(resized.shape == expected.shape, "case \(index)")
            let scale = reference.map(\.magnitude).max() ?? 0
            let worst = zip(actual, reference).map { ($0 - $1).magnitude }.max() ?? 0
            #expect(worst <= 4 * scale.ulp, "case \(index): off by \(worst), scale \(scale)")
        }
    }
}
