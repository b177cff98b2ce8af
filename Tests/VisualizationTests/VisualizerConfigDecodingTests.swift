import Foundation
import Testing
@testable import Visualization

/// Visualizer, task-visualizer and dataset-meta configs decode through ConfigValueDecoder: errors name key paths.
@Suite("Visualizer configs decode with key paths")
struct VisualizerConfigDecodingTests {
    @Test("a bad backend option names the backend's place in vis_backends / backends")
    func backendKeyPaths() throws {
        #expect(
            throws: VisBackendError.configValue(
                key: "vis_backends[1].init_kwargs.project", expected: "a string", actual: "an integer")
        ) {
            try Visualizer(
                config: [
                    "name": "cfg-keypath", "save_dir": "/tmp/unused-vis-keypath",
                    "vis_backends": [
                        ["type": "InMemoryVisBackend"], ["type": "WandbVisBackend", "init_kwargs": ["project": 3]],
                    ],
                ], rank: 0)
        }
        #expect(
            throws: VisBackendError.configValue(
                key: "backends[0].png_compression_level", expected: "an integer", actual: "a string")
        ) {
            try Visualizer(
                name: "api-keypath", backends: [["type": "LocalVisBackend", "png_compression_level": "max"]],
                saveDir: "/tmp/unused-vis-keypath", rank: 0)
        }
        #expect(
            throws: VisualizerError.configValue(
                key: "vis_backends[0]", expected: "a backend config dictionary", actual: "a string")
        ) {
            try Visualizer(config: ["vis_backends": ["LocalVisBackend"]], rank: 0)
        }
        #expect(throws: VisualizerError.configValue(key: "name", expected: "a string", actual: "an integer")) {
            try Visualizer(config: ["name": 3], rank: 0)
        }
        #expect(
            throws: VisualizerError.configValue(
                key: "vis_backend",
                expected: "one of type, name, vis_backends, save_dir, fig_save_cfg, fig_show_cfg",
                actual: "an unknown key")
        ) {
            try Visualizer(config: ["vis_backend": []], rank: 0)
        }
    }

    @Test("task-visualizer options: wrong types and bad colours name the option")
    func taskOptions() throws {
        #expect(throws: VisualizerError.configValue(key: "line_width", expected: "a number", actual: "a string")) {
            try TaskKind.detection.makeVisualizer(options: TaskVisualizerOptions(values: ["line_width": "thick"]))
        }
        #expect(throws: VisualizerError.configValue(key: "topk", expected: "an integer in 1...1000", actual: "0")) {
            try TaskKind.classification.makeVisualizer(options: TaskVisualizerOptions(values: ["topk": 0]))
        }
        do {
            _ = try TaskKind.detection.makeVisualizer(options: TaskVisualizerOptions(values: ["bbox_color": [300, 0, 0]]))
            Issue.record("a channel of 300 is not a colour")
        } catch VisualizerError.configValue(let key, _, let actual) {
            #expect(key == "bbox_color" && actual.contains("300"))
        }
        let pose = try #require(
            try TaskKind.pose.makeVisualizer(options: TaskVisualizerOptions(values: ["kpt_thr": 0.5, "draw_bbox": true]))
                as? PoseVisualizer)
        #expect(pose.keypointThreshold == 0.5 && pose.drawBoxes)
        #expect(try TaskVisualizerOptions(values: ["radius": 4]).double("radius", in: 0...10) == 4)
        #expect(try TaskVisualizerOptions(values: ["c": "tab:blue"]).color("c") == Color(red: 31, green: 119, blue: 180))
    }

    @Test("dataset meta: key paths inside nested arrays")
    func datasetMeta() throws {
        #expect(throws: DataSampleError.invalidField(field: "keypoint_colors[1]", expected: "a colour string or an array of 3 or 4 numbers", actual: "a bool")) {
            try DatasetMeta(configValue: ["keypoint_colors": ["red", true]])
        }
        #expect(throws: DataSampleError.invalidField(field: "dataset_meta", expected: "a dictionary", actual: "an array")) {
            try DatasetMeta(configValue: ["a"])
        }
        // Decodes the same from JSON text through the config reader and through JSONDecoder.
        let json = #"{"classes": ["a", "b"], "palette": [[1, 2, 3], "red"], "skeleton_links": [[0, 1]], "keypoint_names": ["x", "y"]}"#
        let viaConfig = try DatasetMeta(configValue: try ConfigValue(jsonText: json))
        #expect(try JSONDecoder().decode(DatasetMeta.self, from: Data(json.utf8)) == viaConfig)
        #expect(viaConfig.palette?.colors == [Color(red: 1, green: 2, blue: 3), Color(red: 255, green: 0, blue: 0)])
    }
}
