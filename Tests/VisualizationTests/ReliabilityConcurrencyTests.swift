import Foundation
import Testing
import VisTestSupport
import Visualization

/// Many visualizers, each with every storage backend, logged into from many threads at once with scalars and
/// images mixed; run under Thread Sanitizer by Scripts/test.sh. Every record arrives, in each thread's order.
@Suite struct ReliabilityConcurrencyTests {
    @Test("8 threads log scalars and images into 4 visualizers with Local, TensorBoard and W&B backends")
    func manyVisualizersAllBackendsMixedImages() throws {
        let root = try TestSupport.makeTemporaryDirectory("reliability-concurrency")
        defer { try? FileManager.default.removeItem(at: root) }
        let visualizerCount = 4
        let threads = 8
        let steps = 400
        let imageEvery = 100
        let backends: [VisBackendSpec] = [
            ["type": "LocalVisBackend"], ["type": "TensorboardVisBackend"], ["type": "WandbVisBackend"],
        ]
        let visualizers = try (0..<visualizerCount).map { index in
            try Visualizer(
                name: "reliability-\(index)-\(UUID().uuidString)", backends: backends,
                saveDir: root.appendingPathComponent("v\(index)").path, rank: 0)
        }
        let image = try Image(width: 8, height: 6, layout: .rgb, fill: [10, 200, 30])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let visualizer = visualizers[thread % visualizerCount]
            for step in 0..<steps {
                visualizer.addScalar(name: "t\(thread)", value: .int(step), step: step)
                if step % imageEvery == 0 { visualizer.addImage(name: "img\(thread)", image: image, step: step) }
            }
        }
        for visualizer in visualizers { visualizer.close() }

        let threadsPerVisualizer = threads / visualizerCount
        for index in 0..<visualizerCount {
            let visData = root.appendingPathComponent("v\(index)/vis_data").path
            let lines = try String(contentsOfFile: visData + "/scalars.json", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == threadsPerVisualizer * steps, "visualizer \(index): scalars.json lines")
            let events = try FileManager.default.contentsOfDirectory(atPath: visData)
                .filter { $0.hasPrefix("events.out.tfevents") }
            #expect(events.count == 1)
            let file = try TensorboardEventFile(contentsOf: visData + "/" + (events.first ?? ""))
            #expect(file.truncatedTailOffset == nil)
            for thread in stride(from: index, to: threads, by: visualizerCount) {
                let values = file.scalars.filter { $0.tag == "t\(thread)" }
                #expect(values.map(\.step) == (0..<steps).map(Int64.init), "thread \(thread)'s scalars in order")
                #expect(file.images.filter { $0.tag == "img\(thread)" }.count == steps / imageEvery)
            }
            let wandb = try #require(visualizers[index].getBackend(name: "WandbVisBackend") as? WandbVisBackend)
            let runDirectory = try #require(wandb.runDirectory)
            let logs = try FileManager.default.contentsOfDirectory(atPath: runDirectory).filter { $0.hasSuffix(".wandb") }
            let records = try WandbLogReader(path: runDirectory + "/" + (logs.first ?? "")).records()
            var logged = Set<String>()
            for case .history(let row) in records.map(\.content) {
                for item in row.items where item.path.hasPrefix("t") { logged.insert(item.path + "@" + item.valueJSON) }
            }
            #expect(logged.count == threadsPerVisualizer * steps, "visualizer \(index): W&B history values")
            let exits = records.filter { if case .exit = $0.content { true } else { false } }
            #expect(exits.count == 1, "visualizer \(index): the W&B log ends the run once")
        }
    }
}
