import Foundation
import Testing
import VisBackends
import VisTestSupport

@Suite struct ConfigTests {
    let yaml = """
        model:
          type: ResNet
          backbone: {depth: 50, frozen_stages: [1, 2]}
          pretrained: null
        optimizer:
          lr: 0.01
          momentum: 9.0e-01
        stages:
          - {name: a, depth: 3}
          - {name: b, depth: 4}
        flags: [true, false, 'yes']
        """

    @Test func loadsYAMLInOrderWithTypes() throws {
        let config = try Config(text: yaml, format: .yaml)
        #expect(Array(config.values.keys) == ["model", "optimizer", "stages", "flags"])
        #expect(config["model.backbone.depth"] == .int(50))
        #expect(config["model.pretrained"] == .null)
        #expect(config["optimizer.lr"] == .double(0.01))
        #expect(config["optimizer.momentum"] == .double(0.9))
        #expect(config["stages.1.name"] == "b")
        #expect(config["flags"] == [true, false, "yes"])
        #expect(config["model.missing"] == nil)
        #expect(config["stages.9"] == nil)
        #expect(config.sourceFormat == .yaml)
    }

    @Test func loadsJSONInOrderIncludingPythonsSpecialNumbers() throws {
        let config = try Config(
            text: #"{"z": 1, "a": [1.5, -2e3, NaN, Infinity, -Infinity], "m": {"s": "\u00e9\n", "n": null}}"#,
            format: .json)
        #expect(Array(config.values.keys) == ["z", "a", "m"])
        let numbers = try #require(config["a"]?.arrayValue)
        #expect(numbers[0] == .double(1.5))
        #expect(numbers[1] == .double(-2000))
        #expect(numbers[2].doubleValue?.isNaN == true)
        #expect(numbers[3] == .double(.infinity))
        #expect(numbers[4] == .double(-.infinity))
        #expect(config["m.s"] == "\u{e9}\n")
    }

    @Test func dumpsAndReloadsInBothFormats() throws {
        let config = try Config(text: yaml, format: .yaml)
        for format in Config.Format.allCases {
            let text = try config.dumped(as: format)
            var reloaded = try Config(text: text, format: format)
            reloaded.sourceFormat = .yaml
            #expect(reloaded == config, "round trip through \(format):\n\(text)")
        }
        let tricky: Config = ["s": "123", "t": "true", "e": "", "f": .double(0.1 + 0.2), "x": 1e-5, "big": 1e300, "n": nil]
        for format in Config.Format.allCases {
            var reloaded = try Config(text: try tricky.dumped(as: format), format: format)
            reloaded.sourceFormat = .json
            #expect(reloaded == tricky, "\(format)")
        }
    }

    @Test func pythonReadsWhatWeDump() throws {
        let config: Config = ["model": ["depth": 50, "lr": 1e-5, "name": "yes"], "list": [1, 2.5, "x", nil]]
        let directory = try TestSupport.makeTemporaryDirectory("config")
        let path = directory.appendingPathComponent("config.json").path
        try Array(try config.dumped(as: .json).utf8).withUnsafeBufferPointer { try Data(buffer: $0).write(to: URL(fileURLWithPath: path)) }
        let output = try TestSupport.runPython(
            "import json, sys; print(json.load(open(sys.argv[1])))", arguments: [path])
        #expect(output == "{'model': {'depth': 50, 'lr': 1e-05, 'name': 'yes'}, 'list': [1, 2.5, 'x', None]}\n")
    }

    @Test func setsDottedKeysCreatingDictionaries() throws {
        var config: Config = ["a": ["b": 1]]
        config["a.c.d"] = "x"
        config["a.b"] = 2
        config["top"] = [1, 2]
        config["top.1"] = 5
        config["a.b"] = nil
        #expect(config == ["a": ["c": ["d": "x"]], "top": [1, 5]])
    }

    @Test func flattensLikeMMEnginesMLflowBackend() throws {
        let config = try Config(text: yaml, format: .yaml)
        let flat = config.flattened()
        #expect(Array(flat.keys) == [
            "model.type", "model.backbone.depth", "model.backbone.frozen_stages", "model.pretrained",
            "optimizer.lr", "optimizer.momentum", "stages.0.name", "stages.0.depth", "stages.1.name",
            "stages.1.depth", "flags",
        ])
        #expect(flat["model.backbone.frozen_stages"] == [1, 2])
        #expect(flat["stages.1.depth"] == 4)
    }

    @Test func corruptConfigsNameTheFileAndLine() throws {
        #expect(throws: VisBackendError.corruptConfig(
            source: "bad.json", line: 3, reason: "expected `,` or `}` in an object, found `\"`")
        ) {
            try Config(text: "{\n  \"a\": 1\n  \"b\": 2}", format: .json, source: "bad.json")
        }
        do {
            _ = try Config(text: "a: 1\nb: [1, 2\nc: 3\n", format: .yaml, source: "bad.yaml")
            Issue.record("expected an error")
        } catch let VisBackendError.corruptConfig(source, line, _) {
            #expect(source == "bad.yaml")
            #expect(line != nil)
        }
        #expect(throws: VisBackendError.self) { try Config(text: "[1, 2]", format: .json) }
        #expect(throws: VisBackendError.self) { try Config(text: "- 1\n- 2\n", format: .yaml) }
        #expect(throws: VisBackendError.self) { try Config(text: "{\"a\": tru}", format: .json) }
        #expect(throws: VisBackendError.self) { try Config(text: "{\"a\": \"x", format: .json) }
        #expect(throws: VisBackendError.self) { try Config(text: "{\"a\": 1} x", format: .json) }
    }

    @Test func hostileNestingIsRejectedNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: VisBackendError.self) { try Config(text: "{\"a\": \(deep)}", format: .json) }
        let laughs = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            """
        #expect(throws: VisBackendError.self) { try Config(text: laughs, format: .yaml) }
    }

    @Test func filesAreReadByExtension() throws {
        let directory = try TestSupport.makeTemporaryDirectory("config-files")
        let yamlPath = directory.appendingPathComponent("c.yml").path
        try Data("a: 1\n".utf8).write(to: URL(fileURLWithPath: yamlPath))
        #expect(try Config(contentsOfFile: yamlPath) == Config(["a": 1], sourceFormat: .yaml))
        #expect(throws: VisBackendError.self) { try Config(contentsOfFile: directory.appendingPathComponent("c.py").path) }
        #expect(throws: VisBackendError.self) {
            try Config(contentsOfFile: directory.appendingPathComponent("missing.json").path)
        }
    }
}
