import Foundation
import Testing
import VisTestSupport
import Visualization

@Suite struct VisualizerRankTests {
    @Test func rankComesFromTheLaunchersVariables() throws {
        #expect(try ProcessRank.detect(environment: [:]) == 0)
        #expect(try ProcessRank.detect(environment: ["RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1"]) == 3)
        #expect(try ProcessRank.detect(environment: ["SLURM_PROCID": "2", "LOCAL_RANK": "0"]) == 2)
        #expect(try ProcessRank.detect(environment: ["LOCAL_RANK": "1"]) == 1)
        #expect(try ProcessRank.detect(environment: ["WORLD_SIZE": "8"]) == 0)
    }

    @Test func malformedVariablesAreTypedErrors() {
        #expect(throws: VisualizerError.invalidEnvironment(variable: "RANK", expected: "a non-negative integer", actual: "one")) {
            try ProcessRank.detect(environment: ["RANK": "one"])
        }
        #expect(throws: VisualizerError.invalidEnvironment(variable: "RANK", expected: "a non-negative integer", actual: "-1")) {
            try ProcessRank.detect(environment: ["RANK": "-1"])
        }
        #expect(throws: VisualizerError.invalidEnvironment(variable: "WORLD_SIZE", expected: "a positive integer", actual: "0")) {
            try ProcessRank.detect(environment: ["WORLD_SIZE": "0"])
        }
        #expect(throws: VisualizerError.invalidEnvironment(variable: "RANK", expected: "a rank below WORLD_SIZE=2", actual: "2")) {
            try ProcessRank.detect(environment: ["RANK": "2", "WORLD_SIZE": "2"])
        }
    }

    @Test func otherRanksStoreNothingButChainsStillWork() throws {
        let recorder = InMemoryVisBackend()
        let visualizer = try Visualizer(backends: [.backend(recorder)], rank: 1)
        #expect(!visualizer.isMainProcess)
        let image = try Image(width: 2, height: 2)
        let returned = visualizer.addScalar(name: "loss", value: 1)
            .addScalars(["a": 1])
            .addImage(name: "i", image: image)
            .addConfig(["a": 1])
            .addGraph(ModelGraph(nodes: []))
            .addDatasample(name: "d", image: image)
        #expect(returned === visualizer)
        #expect(recorder.records.isEmpty)
        #expect(!recorder.isOpened)
        visualizer.rank = 0
        visualizer.addScalar(name: "loss", value: 2)
        #expect(recorder.scalars(named: "loss").map(\.value) == [2])
        // close() is not rank-gated (MMEngine).
        visualizer.rank = 1
        visualizer.close()
        #expect(recorder.isClosed)
    }

    @Test func otherRanksWriteNoFiles() throws {
        let directory = try TestSupport.makeTemporaryDirectory("rank").appendingPathComponent("run").path
        let visualizer = try Visualizer(backends: [["type": "LocalVisBackend"]], saveDir: directory, rank: 2)
        visualizer.addScalar(name: "loss", value: 1).addImage(name: "x", image: try Image(width: 4, height: 4))
        visualizer.flush()
        visualizer.close()
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
