import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("SelfSupVisualizer")
struct SelfSupVisualizerTests {
    static func solid(width: Int, height: Int, _ rgb: [UInt8]) throws -> Image {
        try Image(width: width, height: height, layout: .rgb, fill: rgb)
    }

    /// An 8×12 patch mask (h×w) with a diagonal band and a block removed, for the 160×240 scene (20-px patches).
    static func sceneMask(shift: Int) throws -> NDArray {
        var values = [Float](repeating: 0, count: 8 * 12)
        for row in 0..<8 {
            for column in 0..<12 where (row + column + shift) % 3 == 0 || (row < 3 && column >= 9) {
                values[row * 12 + column] = 1
            }
        }
        return try NDArray(values, shape: [8, 12])
    }

    @Test("golden: masked-image-modelling ground truth | prediction, masks upsampled by nearest neighbour in k at 0.8")
    func golden() throws {
        let (visualizer, backend) = try TaskTestSupport.visualizer(SelfSupVisualizer())
        let scene = try TaskTestSupport.scene()
        let sample = SelfSupDataSample(
            views: [scene], groundTruth: .init(mask: try Self.sceneMask(shift: 0)),
            prediction: .init(mask: try Self.sceneMask(shift: 1)))
        #expect(sample.kind == .maskedImageModelling)
        let drawn = try #require(try visualizer.addSelfSupSample(name: "mim", sample: sample, step: 2))
        #expect(drawn.width == 480 && drawn.height == 160)
        try TaskTestSupport.expectGolden(drawn, "task-selfsup-mim.png")
        #expect(backend.images(named: "mim").map(\.step) == [2])
        #expect(backend.images(named: "mim").first?.image == drawn)
    }

    @Test("a removed patch becomes 0.2 × the pixel (black at alpha 0.8); a kept one is unchanged; flat L masks too")
    func maskArithmetic() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(nil)
        let image = try Self.solid(width: 32, height: 32, [200, 100, 7])
        for mask in [
            try NDArray([Float](arrayLiteral: 1, 0, 0, 1), shape: [2, 2]),
            try NDArray([UInt8](arrayLiteral: 1, 0, 0, 255), shape: [4]),
        ] {
            let drawn = try #require(
                try visualizer.addSelfSupSample(name: "m", sample: SelfSupDataSample(views: [image], groundTruth: .init(mask: mask))))
            #expect(drawn.width == 32 && drawn.height == 32)
            for (x, y) in [(0, 0), (15, 15), (16, 16), (31, 31)] {
                #expect(Array(drawn[x, y]) == [40, 20, 1], "removed (\(x), \(y))")
            }
            for (x, y) in [(16, 0), (31, 15), (0, 16), (15, 31)] {
                #expect(Array(drawn[x, y]) == [200, 100, 7], "kept (\(x), \(y))")
            }
        }
        let upsampled = try SelfSupDataSample.upsampledMask(
            try NDArray([Float](arrayLiteral: 0, 1, 1, 0, 0, 1), shape: [2, 3]), width: 6, height: 4)
        #expect(upsampled == [
            false, false, true, true, true, true, false, false, true, true, true, true,
            false, false, false, false, true, true, false, false, false, false, true, true,
        ])
    }

    @Test("a mask whose grid does not divide the image, or is not a grid, is an error naming the side's mask")
    func badMasks() throws {
        let (visualizer, backend) = try TaskTestSupport.visualizer(nil)
        let image = try Self.solid(width: 32, height: 32, [1, 2, 3])
        let cases: [(SelfSupDataSample, String)] = [
            (SelfSupDataSample(views: [image], groundTruth: .init(mask: try NDArray(repeating: Float(1), shape: [3, 3]))), "gt_mask"),
            (SelfSupDataSample(views: [image], prediction: .init(mask: try NDArray(repeating: Float(1), shape: [5]))), "pred_mask"),
            (SelfSupDataSample(views: [image], groundTruth: .init(mask: try NDArray(repeating: Float(1), shape: [1, 2, 2]))), "gt_mask"),
        ]
        for (sample, field) in cases {
            #expect {
                try visualizer.addSelfSupSample(name: "bad", sample: sample)
            } throws: { error in
                (error as? DataSampleError)?.localizedDescription.contains(field) ?? false
            }
        }
        #expect(throws: DataSampleError.self) { try visualizer.addSelfSupSample(name: "bad", sample: SelfSupDataSample(views: [])) }
        #expect(backend.images(named: "bad").isEmpty, "nothing stored after an error")
    }

    @Test("contrastive views and rotated views are joined side by side, in order")
    func viewsSideBySide() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(nil)
        let red = try Self.solid(width: 10, height: 8, [255, 0, 0])
        let blue = try Self.solid(width: 6, height: 8, [0, 0, 255])
        let contrastive = SelfSupDataSample(views: [red, blue])
        #expect(contrastive.kind == .contrastive)
        let drawn = try #require(try visualizer.addSelfSupSample(name: "c", sample: contrastive))
        #expect(drawn == (try Image.hconcat([red, blue])))
        let rotation = SelfSupDataSample(views: [red, blue, red, blue], rotationLabels: [0, 1, 2, 3])
        #expect(rotation.kind == .rotation)
        let rotated = try #require(try visualizer.addSelfSupSample(name: "r", sample: rotation))
        #expect(rotated.width == 32 && rotated.height == 8 && Array(rotated[16, 0]) == [255, 0, 0])
        let ragged = SelfSupDataSample(views: [red, try Self.solid(width: 10, height: 9, [0, 0, 0])])
        #expect(throws: DataSampleError.self) { try visualizer.addSelfSupSample(name: "c", sample: ragged) }
        // Two views with a mask are a masked-image-modelling sample (BEiT's image and target): the first view.
        let beit = SelfSupDataSample(views: [red, blue], groundTruth: .init(mask: try NDArray([Float](arrayLiteral: 0, 0), shape: [1, 2])))
        #expect(beit.kind == .maskedImageModelling)
        #expect(try visualizer.addSelfSupSample(name: "b", sample: beit) == red)
    }

    @Test("relative location: patch boxes outlined in red at alpha 0.8 on the unpatched image, not on a patch")
    func relativeLocation() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(nil)
        let unpatched = try Self.solid(width: 60, height: 60, [255, 255, 255])
        let patch = try Self.solid(width: 20, height: 20, [0, 0, 0])
        let sample = SelfSupDataSample(
            views: [patch, patch], unpatchedImage: unpatched,
            groundTruth: .init(patchBoxes: [BoundingBox(x1: 5, y1: 5, x2: 25, y2: 25), BoundingBox(x1: 30, y1: 30, x2: 55, y2: 55)]))
        #expect(sample.kind == .relativeLocation)
        let drawn = try #require(try visualizer.addSelfSupSample(name: "rl", sample: sample))
        #expect(drawn.width == 60 && drawn.height == 60)
        // Red at 0.8 over white is (255, 51, 51) on the outline; inside and outside stay white.
        for (x, y) in [(5, 15), (25, 15), (15, 5), (42, 55)] {
            #expect(Array(drawn[x, y]) == [255, 51, 51], "outline (\(x), \(y))")
        }
        for (x, y) in [(15, 15), (42, 42), (28, 2)] {
            #expect(Array(drawn[x, y]) == [255, 255, 255], "not outlined (\(x), \(y))")
        }
        // Boxes without the unpatched image are not a relative-location sample: the patches are contrastive views.
        let noImage = SelfSupDataSample(views: [patch, patch], groundTruth: .init(patchBoxes: [BoundingBox(x1: 0, y1: 0, x2: 5, y2: 5)]))
        #expect(noImage.kind == .contrastive)
    }

    @Test("config construction as `SelfSupVisualizer` with MMSelfSup's options; out_file replaces storage")
    func registryAndOutFile() throws {
        let visualizer = try VisualizerRegistry.shared.build([
            "type": "SelfSupVisualizer", "name": "selfsup-registry-test", "line_width": 1, "alpha": 0.5,
        ])
        let task = try #require(visualizer.taskVisualizer as? SelfSupVisualizer)
        #expect(task.lineWidth == 1 && task.alpha == 0.5)
        #expect(throws: VisualizerError.self) {
            try VisualizerRegistry.shared.build(["type": "SelfSupVisualizer", "name": "selfsup-bad-alpha", "alpha": 2])
        }
        // The configured alpha is used: black at 0.5 halves the pixel.
        let image = try Self.solid(width: 4, height: 4, [200, 200, 200])
        let directory = try TestSupport.makeTemporaryDirectory("selfsup-vis")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("sample.png").path
        let drawn = try #require(
            try visualizer.addSelfSupSample(
                name: "o", sample: SelfSupDataSample(views: [image], groundTruth: .init(mask: try NDArray([Float](arrayLiteral: 1), shape: [1, 1]))),
                outFile: out))
        #expect(Array(drawn[0, 0]) == [100, 100, 100])
        #expect(try Image(contentsOfFile: out) == drawn)
    }

    @Test("as a plain task visualizer it draws instance boxes and pixel masks of a DataSample")
    func dataSamplePath() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(SelfSupVisualizer())
        let image = try Self.solid(width: 8, height: 8, [100, 100, 100])
        var sample = DataSample()
        var bits = [Bool](repeating: false, count: 64)
        bits[0] = true
        sample.groundTruth.instances = InstanceData(masks: try InstanceMasks(count: 1, height: 8, width: 8, bits: bits))
        let drawn = try #require(try visualizer.addDatasample(name: "d", image: image, dataSample: sample))
        #expect(Array(drawn[0, 0]) == [20, 20, 20] && Array(drawn[1, 0]) == [100, 100, 100])
        #expect(!SelfSupVisualizer().canDraw(DataSample.Annotations(labels: [1])))
    }
}
