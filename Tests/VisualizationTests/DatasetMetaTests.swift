import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("DatasetMeta")
struct DatasetMetaTests {
    @Test("the config form reads classes, palettes, keypoints, links and their colours")
    func configForm() throws {
        let meta = try DatasetMeta(configValue: [
            "classes": ["person", "car"], "palette": [[220, 20, 60], "tab:blue"],
            "keypoint_names": ["nose", "left_eye", "right_eye"], "skeleton_links": [[0, 1], [0, 2]],
            "keypoint_colors": ["red", [0, 255, 0], "#0000ff"], "skeleton_link_colors": [[255, 128, 0]],
            "sigmas": [0.026, 0.025, 0.025],
        ])
        #expect(meta.classes == ["person", "car"])
        #expect(meta.palette?.colors == [Color(red: 220, green: 20, blue: 60), Color(red: 31, green: 119, blue: 180)])
        #expect(meta.keypointNames.count == 3)
        #expect(meta.skeletonLinks == [SkeletonLink(0, 1), SkeletonLink(0, 2)])
        #expect(meta.keypointColor(of: 1) == Color(red: 0, green: 255, blue: 0))
        #expect(meta.linkColor(of: 0) == Color(red: 255, green: 128, blue: 0))
        #expect(meta.linkColor(of: 1) == DatasetMeta.defaultLinkColor)
        #expect(meta.keypointColor(of: 7) == DatasetMeta.defaultKeypointColor)
        #expect(try DatasetMeta(configValue: meta.configValue) == meta)
        // MMDetection 2.x spellings.
        #expect(try DatasetMeta(configValue: ["CLASSES": ["a"], "PALETTE": "coco"]).palette == .coco)
    }

    @Test("class names and colours fall back like MMDetection's")
    func fallbacks() throws {
        let meta = DatasetMeta(classes: ["cat"])
        #expect(meta.className(of: 0) == "cat")
        #expect(meta.className(of: 3) == "class 3")
        // get_palette(None, n): numpy seed 42, randint(0, 256, (n, 3)) → first colour (102, 179, 92).
        #expect(meta.color(of: 0) == Color(red: 102, green: 179, blue: 92))
        #expect(DatasetMeta(palette: .coco).color(of: 80) == ColorPalette.coco[0])
        #expect(try DatasetMeta(configValue: ["palette": "random"]).color(of: 0) == meta.color(of: 0))
    }

    @Test("bad values are errors naming the key")
    func errors() {
        func failure(_ value: ConfigValue) -> String? {
            do {
                _ = try DatasetMeta(configValue: value)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(failure(["classes": "person"])?.contains("`classes`: expected an array of names") == true)
        #expect(failure(["classes": ["a", 2]])?.contains("`classes[1]`: expected a string") == true)
        #expect(failure(["palette": "viridis"])?.contains("coco, tab10, tab20, random") == true)
        #expect(failure(["palette": [[300, 0, 0]]])?.contains("`palette[0]`") == true)
        #expect(failure(["palette": []])?.contains("at least one colour") == true)
        #expect(failure(["skeleton_links": [[0]]])?.contains("`skeleton_links[0]`") == true)
        #expect(failure(["keypoint_names": ["a", "b"], "skeleton_links": [[0, 2]]])?.contains(
            "keypoint indices in 0..<2") == true)
        #expect(failure(["a", "b"])?.contains("expected a dictionary") == true)
    }

    @Test("JSON and YAML files load; Codable round-trips; the visualizer holds the config form")
    func filesAndVisualizer() throws {
        let directory = try TestSupport.makeTemporaryDirectory("dataset-meta")
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("meta.json")
        try Data(#"{"classes": ["a", "b"], "palette": "tab10"}"#.utf8).write(to: json)
        let yaml = directory.appendingPathComponent("meta.yaml")
        try Data("classes: [a, b]\npalette: tab10\n".utf8).write(to: yaml)
        let fromJSON = try DatasetMeta(contentsOfFile: json.path)
        #expect(fromJSON == DatasetMeta(classes: ["a", "b"], palette: .tab10))
        #expect(try DatasetMeta(contentsOfFile: yaml.path) == fromJSON)
        #expect(throws: DataSampleError.self) { try DatasetMeta(contentsOfFile: directory.appendingPathComponent("x.json").path) }

        let encoded = try JSONEncoder().encode(fromJSON)
        #expect(try JSONDecoder().decode(DatasetMeta.self, from: encoded) == fromJSON)

        let visualizer = try Visualizer(name: "meta-test", rank: 0)
        #expect(try visualizer.typedDatasetMeta() == DatasetMeta())
        visualizer.setDatasetMeta(fromJSON)
        #expect(visualizer.datasetMeta?["classes"] == ["a", "b"])
        #expect(try visualizer.typedDatasetMeta() == fromJSON)
    }
}
