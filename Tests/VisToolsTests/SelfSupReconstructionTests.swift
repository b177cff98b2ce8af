import Foundation
import Testing
import VisCore
import VisTestSupport
import VisTools

/// Reconstruction panels against a NumPy implementation of MMSelfSup's `post_process` (±0), the mask
/// generator, the figure's layout against matplotlib, and bad shapes.
@Suite("SelfSup reconstruction panels")
struct SelfSupReconstructionTests {
    /// Writes `source.png`, `pred.npy`, `mask.npy` and the four reference panels `ref_<name>.png` for one case.
    private static let referenceScript = #"""
import sys, numpy as np
from PIL import Image
out, kind, size, patch, normpix = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
rng = np.random.default_rng(11)
src = Image.fromarray(rng.integers(0, 256, (97, 131, 3), dtype=np.uint8))
src = Image.fromarray((np.asarray(src).astype(np.float32) * 0.3 + np.linspace(0, 170, 131)[None, :, None]).astype(np.uint8))
src.save(f"{out}/source.png")
mean255 = np.array([123.675, 116.28, 103.53], np.float32); std255 = np.array([58.395, 57.12, 57.375], np.float32)
img = np.asarray(src.convert("RGB").resize((size, size), Image.BILINEAR)).astype(np.float32)
x = ((img - mean255) / std255).transpose(2, 0, 1)
h = size // patch; L = h * h
if kind == "mae":
    pred = rng.normal(0, 1.2, (L, patch * patch * 3)).astype(np.float32)
    np.save(f"{out}/pred.npy", pred)
    p = pred
    if normpix:
        target = x.reshape(3, h, patch, h, patch).transpose(1, 3, 2, 4, 0).reshape(L, -1).astype(np.float64)
        m = target.mean(-1, keepdims=True); v = target.var(-1, ddof=1, keepdims=True)
        p = (p.astype(np.float64) * np.sqrt(v + 1e-6) + m).astype(np.float32)
    rec = p.reshape(h, h, patch, patch, 3).transpose(4, 0, 2, 1, 3).reshape(3, size, size)
    mask = (rng.random(L) < 0.75).astype(np.float32)
    if normpix:
        mask = mask.reshape(h, h)
    np.save(f"{out}/mask.npy", mask)
    grid = mask.reshape(h, h)
else:
    rec = rng.normal(0, 1.2, (3, size, size)).astype(np.float32)
    np.save(f"{out}/pred.npy", rec if kind == "chw" else rec.transpose(1, 2, 0).copy())
    grid = (rng.random((6, 6)) < 0.6).astype(np.uint8)
    np.save(f"{out}/mask.npy", grid)
    grid = grid.astype(np.float32)
m = np.repeat(np.repeat(grid, size // grid.shape[0], 0), size // grid.shape[1], 1).astype(np.float32)
mean = np.array([0.485, 0.456, 0.406], np.float32)[:, None, None]; std = np.array([0.229, 0.224, 0.225], np.float32)[:, None, None]
def show(v):
    return np.clip((v * std + mean) * np.float32(255), 0, 255).astype(np.uint8).transpose(1, 2, 0)
panels = {"original": x, "masked": x * (1 - m), "reconstruction": rec, "reconstruction_visible": x * (1 - m) + rec * m}
for name, v in panels.items():
    Image.fromarray(show(v)).save(f"{out}/ref_{name}.png")
"""#

    private func check(kind: String, size: Int, patch: Int, normPix: Bool) throws {
        let directory = try TestSupport.makeTemporaryDirectory("reconstruct")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestSupport.runPython(
            Self.referenceScript, arguments: [directory.path, kind, "\(size)", "\(patch)", normPix ? "1" : "0"])
        let file = { (name: String) in directory.appendingPathComponent(name).path }
        let image = try Image(contentsOfFile: file("source.png")).pillowResized(width: size, height: size)
        let panels = try ReconstructionPanels.make(
            image: image, prediction: try NDArray(npyFile: file("pred.npy")), mask: try NDArray(npyFile: file("mask.npy")),
            patchSize: patch, normPix: normPix)
        for panel in panels.named {
            let expected = try Image(contentsOfFile: file("ref_" + panel.fileName))
            let differing = zip(panel.image.pixels, expected.pixels).filter { $0 != $1 }.count
            #expect(panel.image == expected, "\(kind) \(panel.fileName): \(differing) differing samples")
        }
    }

    @Test("MAE patches with L mask values equal post_process")
    func maePatches() throws { try check(kind: "mae", size: 224, patch: 16, normPix: false) }

    @Test("MAE patches with --norm-pix and an h×w mask grid equal post_process")
    func maeNormPix() throws { try check(kind: "mae", size: 224, patch: 16, normPix: true) }

    @Test("SimMIM images 3×H×W and H×W×3 with a coarse mask grid equal post_process")
    func simMIMImages() throws {
        try check(kind: "chw", size: 192, patch: 32, normPix: false)
        try check(kind: "hwc", size: 192, patch: 32, normPix: false)
    }

    @Test("random masks remove exactly L − int(L·(1 − ratio)) patches, reproducibly per seed")
    func randomMask() throws {
        for ratio in [0.0, 0.4, 0.75, 0.9] {
            let mask = try ReconstructionPanels.randomMask(patches: 196, ratio: ratio, seed: 3)
            #expect(mask.count == 196)
            #expect(mask.filter { $0 == 1 }.count == 196 - Int(196 * (1 - ratio)))
            #expect(mask == (try ReconstructionPanels.randomMask(patches: 196, ratio: ratio, seed: 3)))
        }
        #expect(
            try ReconstructionPanels.randomMask(patches: 196, ratio: 0.75, seed: 1)
                != ReconstructionPanels.randomMask(patches: 196, ratio: 0.75, seed: 2))
        #expect(throws: ReconstructionError.self) { try ReconstructionPanels.randomMask(patches: 4, ratio: 1, seed: 0) }
    }

    @Test("shapes that do not fit the patch grid are errors naming the prediction or the mask")
    func badShapes() throws {
        let image = try Image(width: 64, height: 64, layout: .rgb)
        let goodPred = try NDArray([Float](repeating: 0, count: 16 * 768), shape: [16, 768])
        let goodMask = try NDArray([Float](repeating: 0, count: 16), shape: [16])
        #expect(throws: ReconstructionError.self) {
            try ReconstructionPanels.make(
                image: image, prediction: try NDArray([Float](repeating: 0, count: 15 * 768), shape: [15, 768]),
                mask: goodMask, patchSize: 16)
        }
        do {
            _ = try ReconstructionPanels.make(
                image: image, prediction: goodPred, mask: try NDArray([Float](repeating: 0, count: 15), shape: [15]),
                patchSize: 16)
            Issue.record("a 15-value mask for a 4×4 grid was accepted")
        } catch let error as ReconstructionError {
            guard case .maskShape(let shape, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(shape == [15])
            #expect(error.localizedDescription.contains("16 patch values"))
        }
        #expect(throws: ReconstructionError.self) {
            try ReconstructionPanels.make(
                image: image, prediction: goodPred, mask: try NDArray([Float](repeating: 0, count: 25), shape: [5, 5]),
                patchSize: 16)
        }
        #expect(throws: ReconstructionError.self) {
            try ReconstructionPanels.make(
                image: image, prediction: goodPred, mask: try NDArray([Float](repeating: 2, count: 16), shape: [16]),
                patchSize: 16)
        }
        // norm-pix needs patches, not an image.
        #expect(throws: ReconstructionError.self) {
            try ReconstructionPanels.make(
                image: image, prediction: try NDArray([Float](repeating: 0, count: 3 * 64 * 64), shape: [3, 64, 64]),
                mask: goodMask, patchSize: 16, normPix: true)
        }
    }

    @Test("the figure is 2400×600 with the axes rectangles of matplotlib's subplot(1, 4, i) over imshow")
    func figureLayout() throws {
        let image = try Image(width: 224, height: 224, layout: .rgb)
        let panels = ReconstructionPanels(original: image, masked: image, reconstruction: image, reconstructionVisible: image)
        let figure = try panels.figure()
        #expect(figure.pixelSize.width == 2400 && figure.pixelSize.height == 600)
        let reference = try TestSupport.runPython(
            """
            import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt, numpy as np
            fig = plt.figure(figsize=(24, 6))
            for i, t in enumerate(["original", "masked", "reconstruction", "reconstruction + visible"]):
                plt.subplot(1, 4, i + 1); plt.imshow(np.zeros((224, 224, 3), np.uint8)); plt.title(t, fontsize=16); plt.axis("off")
            fig.canvas.draw()
            for ax in fig.axes:
                b = ax.get_window_extent(); print(b.x0, 600 - b.y1, b.width, b.height)
            """)
        let rows = reference.split(separator: "\n").map { $0.split(separator: " ").compactMap { Double($0) } }
        #expect(rows.count == 4)
        for (axes, row) in zip(figure.axes, rows) {
            let rect = axes.pixelRect
            #expect(abs(rect.x - row[0]) < 1e-6 && abs(rect.y - row[1]) < 1e-6, "\(rect) vs \(row)")
            #expect(abs(rect.width - row[2]) < 1e-6 && abs(rect.height - row[3]) < 1e-6, "\(rect) vs \(row)")
        }
        let rendered = try figure.render()
        #expect(rendered.width == 2400 && rendered.height == 600)
    }
}
