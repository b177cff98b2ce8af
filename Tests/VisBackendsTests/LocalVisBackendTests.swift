import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport

/// Swift twins of MMEngine's `test_vis_backend.py::TestLocalVisBackend`, then what the port adds.
@Suite struct LocalVisBackendTests {
    func makeDirectory() throws -> String {
        try TestSupport.makeTemporaryDirectory("local-backend").path
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    // MARK: MMEngine's cases

    @Test func rejectsWrongFileExtensions() throws {
        let directory = try makeDirectory()
        #expect(throws: VisBackendError.invalidArgument(
            argument: "configSaveFile",
            expected: "a file name ending in .json, .yaml or .yml (Python .py configs are not written)", actual: "a.txt")
        ) {
            try LocalVisBackend(saveDir: directory, configSaveFile: "a.txt")
        }
        #expect(throws: VisBackendError.invalidArgument(
            argument: "scalarSaveFile", expected: "a file name ending in .json", actual: "a.yaml")
        ) {
            try LocalVisBackend(saveDir: directory, scalarSaveFile: "a.yaml")
        }
        #expect(throws: VisBackendError.self) { try LocalVisBackend(saveDir: directory, configSaveFile: "config.py") }
    }

    @Test func buildsFromTheRegistry() throws {
        let directory = try makeDirectory()
        let (name, backend) = try VisBackendRegistry.shared.build(
            ["type": "LocalVisBackend", "save_dir": .string(directory), "img_save_dir": "images"])
        #expect(name == "LocalVisBackend")
        let local = try #require(backend as? LocalVisBackend)
        #expect(local.saveDirectory == directory)
        #expect(local.imgSaveDir == "images")
    }

    @Test func experimentIsTheBackendAndOpensIt() throws {
        let directory = try makeDirectory() + "/run"
        let backend = try LocalVisBackend(saveDir: directory)
        #expect(!FileManager.default.fileExists(atPath: directory))
        #expect(try backend.experiment as? LocalVisBackend === backend)
        #expect(FileManager.default.fileExists(atPath: directory))
        backend.close()
    }

    @Test func addConfigWritesTheConfigFileInItsSourceFormat() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        let yaml = try Config(text: "a: 1\nb:\n  b1: [0, 1]\n", format: .yaml)
        try backend.addConfig(yaml)
        try backend.addConfig(["json": true])
        backend.flush()
        #expect(try Config(contentsOfFile: directory + "/config.yaml") == yaml)
        #expect(try read(directory + "/config.json") == "{\n    \"json\": true\n}\n")
    }

    @Test func addConfigHonoursAnExplicitFileName() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory, configSaveFile: "cfg/train.json")
        defer { backend.close() }
        try backend.addConfig(try Config(text: "a: 1", format: .yaml))
        backend.flush()
        #expect(try read(directory + "/cfg/train.json") == "{\n    \"a\": 1\n}\n")
    }

    @Test func addImageWritesNameStepPNGs() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        var image = try Image(width: 10, height: 10, layout: .rgb)
        for index in image.pixels.indices { image.pixels[index] = UInt8(truncatingIfNeeded: index * 7) }
        try backend.addImage(name: "img", image: image)
        try backend.addImage(name: "img", image: image, step: 2)
        backend.flush()
        #expect(try Image(contentsOfFile: directory + "/vis_image/img_0.png") == image)
        #expect(try Image(contentsOfFile: directory + "/vis_image/img_2.png") == image)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/vis_image")
        #expect(files.sorted() == ["img_0.png", "img_2.png"])
    }

    @Test func addScalarWritesMMEnginesExactLines() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        try backend.addScalar(name: "map", value: 1, step: 0)
        try backend.addScalar(name: "map", value: 0.95, step: 1)
        try backend.addScalar(name: "map", value: 0.9, step: 2)
        backend.flush()
        #expect(
            try read(directory + "/scalars.json")
                == "{\"map\": 1, \"step\": 0}\n{\"map\": 0.95, \"step\": 1}\n{\"map\": 0.9, \"step\": 2}\n")
    }

    @Test func addScalarsAppendsStepLastAndKeepsAnExistingStep() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        let scalars: ScalarDictionary = ["map": 0.7, "acc": 0.9]
        try backend.addScalars(scalars)
        try backend.addScalars(scalars, step: 1)
        try backend.addScalars(["step": 42, "loss": 0.5], step: 3)
        backend.flush()
        #expect(scalars == ["map": 0.7, "acc": 0.9])
        #expect(
            try read(directory + "/scalars.json")
                == "{\"map\": 0.7, \"acc\": 0.9, \"step\": 0}\n{\"map\": 0.7, \"acc\": 0.9, \"step\": 1}\n"
                + "{\"step\": 42, \"loss\": 0.5}\n")
    }

    @Test func addScalarsWithFilePathWritesTheSameLineToThatFile() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        try backend.addScalars(["map": 0.7, "acc": 0.9], step: 0, filePath: "temp.json")
        try backend.addScalars(["map": 0.8], step: 1, filePath: "logs/20240101_120000.json")
        backend.flush()
        #expect(try read(directory + "/temp.json") == "{\"map\": 0.7, \"acc\": 0.9, \"step\": 0}\n")
        #expect(try read(directory + "/logs/20240101_120000.json") == "{\"map\": 0.8, \"step\": 1}\n")
        #expect(try read(directory + "/scalars.json").split(separator: "\n").count == 2)
    }

    @Test func addScalarsRejectsTheScalarFileAndNonJSONPaths() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        #expect(throws: VisBackendError.self) { try backend.addScalars(["a": 1], step: 0, filePath: "scalars.json") }
        #expect(throws: VisBackendError.self) { try backend.addScalars(["a": 1], step: 0, filePath: "./scalars.json") }
        #expect(throws: VisBackendError.self) { try backend.addScalars(["a": 1], step: 0, filePath: "temp.txt") }
        #expect(throws: VisBackendError.pathEscapesSaveDir(argument: "filePath", path: "../up.json")) {
            try backend.addScalars(["a": 1], step: 0, filePath: "../up.json")
        }
        backend.flush()
        #expect(!FileManager.default.fileExists(atPath: directory + "/scalars.json"))
    }

    // MARK: What the port adds

    @Test func imageNamesThatEscapeTheSaveDirectoryAreRejected() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory + "/run")
        defer { backend.close() }
        let image = try Image(width: 2, height: 2)
        for name in ["../x", "/etc/x", "a/../../x"] {
            #expect(throws: VisBackendError.pathEscapesSaveDir(argument: "name", path: name)) {
                try backend.addImage(name: name, image: image, step: 0)
            }
        }
        backend.flush()
        #expect(!FileManager.default.fileExists(atPath: directory + "/x"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
        try backend.addImage(name: "val/sample", image: image, step: 3)
        backend.flush()
        #expect(FileManager.default.fileExists(atPath: directory + "/run/vis_image/val/sample_3.png"))
    }

    @Test func namesThatStayInsideAreNotBlamedForEscaping() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        let image = try Image(width: 2, height: 2)
        let cases: [(String, VisBackendError)] = [
            ("", .invalidArgument(
                argument: "name", expected: "a non-empty name such as `loss` or `val/sample`", actual: "\"\"")),
            ("./", .invalidArgument(
                argument: "name", expected: "a non-empty name such as `loss` or `val/sample`", actual: "\"./\"")),
            ("sub/", .invalidArgument(
                argument: "name", expected: "a file name, not a directory (drop the trailing `/`)",
                actual: "\"sub/\"")),
            ("nul\u{0}byte", .invalidArgument(
                argument: "name", expected: "a name without NUL bytes", actual: "\"nul\\0byte\"")),
        ]
        for (name, expected) in cases {
            #expect(throws: expected) { try backend.addImage(name: name, image: image, step: 0) }
            #expect(!expected.description.contains("outside"))
        }
        // Repeated `/` and `.` components are what the file system makes of them.
        try backend.addImage(name: "a//b", image: image, step: 3)
        try backend.addImage(name: "./c", image: image, step: 3)
        try backend.addScalars(["x": 1], step: 0, filePath: "extra//more.json")
        try backend.addScalars(["x": 2], step: 1, filePath: "extra/more.json")
        #expect(throws: VisBackendError.invalidArgument(
            argument: "filePath", expected: "a file other than the scalar file `scalars.json`",
            actual: "scalars.json")) {
            try backend.addScalars(["x": 3], step: 2, filePath: "./scalars.json")
        }
        backend.flush()
        #expect(FileManager.default.fileExists(atPath: directory + "/vis_image/a/b_3.png"))
        #expect(FileManager.default.fileExists(atPath: directory + "/vis_image/c_3.png"))
        #expect(try read(directory + "/extra/more.json").split(separator: "\n").count == 2)
    }

    @Test func aBackendDroppedWithoutCloseStillWritesEverything() throws {
        let directory = try makeDirectory()
        func logAndDrop() throws {
            let backend = try LocalVisBackend(saveDir: directory)
            for step in 0..<100 { try backend.addScalar(name: "x", value: .int(step), step: step) }
        }
        try logAndDrop()
        #expect(try read(directory + "/scalars.json").split(separator: "\n").count == 100)
    }

    @Test func emptyImagesAndBadLevelsAreRejectedSynchronously() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        defer { backend.close() }
        #expect(throws: VisBackendError.self) { try backend.addImage(name: "empty", image: try Image(width: 0, height: 3)) }
        #expect(throws: VisBackendError.invalidArgument(argument: "pngCompressionLevel", expected: "0...9", actual: "10")) {
            try LocalVisBackend(saveDir: directory, pngCompressionLevel: 10)
        }
    }

    @Test func specialValuesAreWrittenSoPythonsJSONReadsThemBack() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        try backend.addScalars(
            ["nan": .double(.nan), "inf": .double(.infinity), "ninf": .double(-.infinity), "tiny": 1e-5,
             "big": .int(Int.max), "unicode \u{e9}\u{1F600} \"q\"\n": 1.0],
            step: 7)
        backend.close()
        #expect(
            try read(directory + "/scalars.json")
                == "{\"nan\": NaN, \"inf\": Infinity, \"ninf\": -Infinity, \"tiny\": 1e-05, "
                + "\"big\": 9223372036854775807, \"unicode \\u00e9\\ud83d\\ude00 \\\"q\\\"\\n\": 1.0, \"step\": 7}\n")
        let output = try TestSupport.runPython(
            """
            import json, math, sys
            line = open(sys.argv[1]).readline()
            row = json.loads(line)
            assert math.isnan(row["nan"]) and row["inf"] == float("inf") and row["ninf"] == -float("inf"), row
            assert row["tiny"] == 1e-05 and row["big"] == 2**63 - 1 and row["step"] == 7, row
            assert row["unicode \\u00e9\\U0001F600 \\"q\\"\\n"] == 1.0, row
            # Python writes the same text for the same values.
            print(json.dumps(row) + "\\n" == line)
            """, arguments: [directory + "/scalars.json"])
        #expect(output == "True\n")
    }

    @Test func writeFailuresAreReportedNotThrownOrFatal() throws {
        let directory = try makeDirectory()
        // A directory where the scalar file should be makes every append fail on the writer thread.
        try FileManager.default.createDirectory(atPath: directory + "/scalars.json", withIntermediateDirectories: true)
        let reported = Recorder<VisBackendError>()
        let backend = try LocalVisBackend(saveDir: directory, errorHandler: { reported.append($0) })
        try backend.addScalar(name: "loss", value: 1, step: 0)
        try backend.addImage(name: "still-works", image: try Image(width: 3, height: 3), step: 0)
        backend.flush()
        #expect(reported.values.count == 1)
        if case .io(let path, _)? = reported.values.first {
            #expect(path == directory + "/scalars.json")
        } else {
            Issue.record("expected an I/O error, got \(reported.values)")
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/vis_image/still-works_0.png"))
        backend.close()
    }

    @Test func configsSurviveARoundTripThroughTheBackend() throws {
        let directory = try makeDirectory()
        let backend = try LocalVisBackend(saveDir: directory)
        var config: Config = ["model": ["backbone": ["depth": 50, "frozen": [1, 2]]], "lr": 0.1, "name": "yes"]
        config.sourceFormat = .yaml
        try backend.addConfig(config)
        backend.close()
        #expect(try Config(contentsOfFile: directory + "/config.yaml") == config)
    }
}
