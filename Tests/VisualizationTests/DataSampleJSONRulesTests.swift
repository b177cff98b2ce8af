import Foundation
import Testing
@testable import Visualization

/// The sample JSON follows the config's JSON rules (key order, Python's NaN) and its errors name the field.
@Suite("DataSample JSON rules")
struct DataSampleJSONRulesTests {
    static func error(_ json: String) -> DataSampleError? { DataSampleJSONTests.error(json) }

    @Test("a sample that is not a JSON object says so, without Swift's decoding jargon")
    func notAnObject() throws {
        for json in ["[1, 2]", "3", #""gt_instances""#] {
            let error = try #require(Self.error(json))
            let text = error.description
            #expect(text.contains("expected a JSON object"), "\(text)")
            #expect(!text.contains("Dictionary<String, Any>") && !text.contains("Expected to decode"), "\(text)")
        }
        #expect(Self.error("[1]")?.description.hasPrefix("data sample field `<root>`: expected a JSON object, got an array") == true)
    }

    @Test("bare NaN and Infinity (Python's json) read as numbers; metainfo dictionaries keep their key order")
    func configRules() throws {
        let sample = try DataSample(
            jsonData: Data(
                #"{"metainfo": {"extra": {"z": 1, "a": NaN}}, "pred_instances": {"bboxes": [[0, 0, Infinity, 4]], "scores": [NaN]}}"#
                    .utf8))
        #expect(sample.metainfo["extra"]?.dictionaryValue.map { Array($0.keys) } == ["z", "a"])
        #expect(sample.metainfo["extra"]?["a"]?.doubleValue?.isNaN == true)
        #expect(sample.prediction.instances?.boxes?[0].x2 == .infinity)
        #expect(sample.prediction.instances?.scores?[0].isNaN == true)
    }

    @Test("jsonData writes non-finite numbers as the config does (bare NaN) and reads them back")
    func writesNaNLikeConfig() throws {
        var sample = DataSample(metainfo: ["img_path": "a.png"])
        sample.prediction.scores = [.nan, 0.5, .infinity]
        let text = String(decoding: try sample.jsonData(), as: UTF8.self)
        #expect(text.contains("[NaN, 0.5, Infinity]"), "\(text)")
        let back = try DataSample(jsonData: Data(text.utf8))
        #expect(back.prediction.scores?[0].isNaN == true && back.prediction.scores?[2] == .infinity)
        #expect(back.metainfo == sample.metainfo)
        // Python's json reads the text (its default allows NaN).
        #expect(try ConfigValue(jsonText: text)["pred_score"]?.arrayValue?.count == 3)
    }

    @Test("a field of the wrong kind names its key path")
    func wrongKinds() throws {
        #expect(Self.error(#"{"metainfo": 3}"#) == .invalidField(field: "metainfo", expected: "a dictionary", actual: "an integer"))
        #expect(Self.error(#"{"gt_instances": {"polygons": [[[0, 0, "x", 1, 2, 2]]]}}"#) == .invalidField(
            field: "gt_instances.polygons[0][0][2]", expected: "a number", actual: "a string"))
        #expect(Self.error(#"{"gt_instances": 5}"#) == .invalidField(field: "gt_instances", expected: "a dictionary", actual: "an integer"))
    }
}
