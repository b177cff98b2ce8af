import Foundation
import Testing
import VisCore
import VisTestSupport

/// JPEG files of every kind Pillow writes (baseline, progressive, gray, 4:4:4, Adobe CMYK, plain CMYK; large 4:2:0,
/// 4:2:2, 4:4:4 and gray files, which take the two-thread decode when no other codec call is running) decode like
/// Pillow decodes them, and Pillow reads our JPEGs as we do.
@Suite("JPEG interop")
struct JPEGInteropTests {
    /// Pillow and we both use libjpeg-turbo with its default (islow DCT, fancy upsampling), but possibly
    /// different releases; their outputs may differ by a rounding step.
    static let decoderTolerance = 1

    /// Writes `<kind>.jpg` and `<kind>.raw` (Pillow's decoded pixels: "L" for gray files, "RGB" otherwise).
    static let writerScript = #"""
import sys, os, io, numpy as np
from PIL import Image
out, kind = sys.argv[1:]
y, x = np.mgrid[0:45, 0:67]
rgb = np.dstack([x * 255 // 66, y * 255 // 44, (x + y) * 255 // 110]).astype(np.uint8)
rgb[10:20, 10:30] = (250, 20, 40)
image = Image.fromarray(rgb, "RGB")
path = os.path.join(out, kind + ".jpg")
if kind.startswith("large"):
    # Large enough for the two-thread decode (at least 512x512), with texture in every block.
    y, x = np.mgrid[0:700, 0:1100]
    rng = np.random.default_rng(7)
    big = np.dstack([x * 255 // 1099, y * 255 // 699, ((x // 37 + y // 23) % 2) * 180 + 40]).astype(np.int32)
    big = ((big + rng.integers(0, 24, big.shape)) % 256).astype(np.uint8)
    image = Image.fromarray(big, "RGB")
if kind in ("baseline", "large-420"):
    image.save(path, quality=90)
elif kind == "progressive":
    image.save(path, quality=90, progressive=True)
elif kind == "subsampling444":
    image.save(path, quality=85, subsampling=0, optimize=True)
elif kind == "large-444":
    image.save(path, quality=92, subsampling=0)
elif kind == "large-422":
    image.save(path, quality=92, subsampling=1)
elif kind == "large-gray":
    image.convert("L").save(path, quality=92)
elif kind == "gray":
    image.convert("L").save(path, quality=90)
elif kind == "gray-progressive":
    image.convert("L").save(path, quality=90, progressive=True)
elif kind == "cmyk-adobe":
    image.convert("CMYK").save(path, quality=95)
elif kind == "cmyk-plain":
    buffer = io.BytesIO()
    image.convert("CMYK").save(buffer, format="JPEG", quality=95)
    data = buffer.getvalue()
    # Drop the Adobe APP14 segment: Pillow (and OpenCV, and we) still read the samples as Adobe-inverted.
    at = data.find(b"\xff\xeeAdobe") if b"\xff\xeeAdobe" in data else data.find(b"\xff\xee")
    assert at > 0
    length = int.from_bytes(data[at + 2:at + 4], "big")
    data = data[:at] + data[at + 2 + length:]
    open(path, "wb").write(data)
with Image.open(path) as im:
    im.load()
    target = "L" if im.mode == "L" else "RGB"
    print(im.mode, "progressive" if im.info.get("progressive") else "sequential")
    np.asarray(im.convert(target)).tofile(os.path.join(out, kind + ".raw"))
"""#

    @Test("files Pillow writes decode like Pillow decodes them",
          arguments: [
              "baseline", "progressive", "subsampling444", "gray", "gray-progressive", "cmyk-adobe", "cmyk-plain",
              "large-420", "large-422", "large-444", "large-gray",
          ])
    func decodesPillowFiles(kind: String) throws {
        let directory = try TestSupport.makeTemporaryDirectory("jpeg-pillow")
        defer { try? FileManager.default.removeItem(at: directory) }
        let description = try TestSupport.runPython(Self.writerScript, arguments: [directory.path, kind])
        let image = try Image(contentsOfFile: directory.appendingPathComponent(kind + ".jpg").path)
        let raw = try [UInt8](Data(contentsOf: directory.appendingPathComponent(kind + ".raw")))
        let large = kind.hasPrefix("large")
        #expect(large ? image.width == 1100 && image.height == 700 : image.width == 67 && image.height == 45)
        #expect(image.layout == (kind.hasSuffix("gray") || kind.hasPrefix("gray") ? .gray : .rgb))
        #expect(description.contains("progressive") == kind.contains("progressive"), "Pillow says \(description)")
        try #require(image.pixels.count == raw.count)
        let difference = zip(image.pixels, raw).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
        #expect(difference <= Self.decoderTolerance, "\(kind) (\(description)): max difference \(difference)")
    }

    @Test("Pillow reads our JPEGs as we do", arguments: [PixelLayout.gray, .rgb])
    func pillowReadsOurFiles(layout: PixelLayout) throws {
        let directory = try TestSupport.makeTemporaryDirectory("jpeg-ours")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = InteropPattern.make(width: 50, height: 33, layout: layout)
        let path = directory.appendingPathComponent("ours.jpg").path
        try image.writeJPEG(to: path, quality: 80)
        let ours = try Image(contentsOfFile: path)
        let rawPath = directory.appendingPathComponent("ours.raw").path
        let mode = try TestSupport.runPython(
            """
            import sys, numpy as np
            from PIL import Image
            with Image.open(sys.argv[1]) as im:
                assert im.format == "JPEG"
                np.asarray(im).tofile(sys.argv[2])
                print(im.mode)
            """, arguments: [path, rawPath])
        #expect(mode.trimmingCharacters(in: .whitespacesAndNewlines) == (layout == .gray ? "L" : "RGB"))
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: rawPath)))
        try #require(raw.count == ours.pixels.count)
        let difference = zip(ours.pixels, raw).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
        #expect(difference <= Self.decoderTolerance)
    }
}
