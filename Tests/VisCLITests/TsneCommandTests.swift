import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis tsne`, running the built executable.
@Suite("vis tsne")
struct TsneCommandTests {
    static func tsne(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: ["tsne"] + arguments)
    }

    /// Two well-separated blobs of `perClass` samples each in 6 dimensions; labels 0, 1 and, for every third
    /// sample of the second blob, 25 (dropped by --max-num-class 20).
    static func blobs(perClass: Int, shift: Float) throws -> (NDArray, NDArray) {
        var values = [Float]()
        var labels = [Int64]()
        for c in 0..<2 {
            for i in 0..<perClass {
                for f in 0..<6 { values.append(Float(c) * shift + Float((i * 7 + f * 3) % 11) * 0.1) }
                labels.append(c == 1 && i % 3 == 0 ? 25 : Int64(c))
            }
        }
        return (try NDArray(values, shape: [2 * perClass, 6]), try NDArray(labels, shape: [2 * perClass]))
    }

    /// The single tsne_<time> folder a run made in `workDir`.
    static func runDirectory(_ workDir: URL) throws -> URL {
        let runs = try FileManager.default.contentsOfDirectory(atPath: workDir.path).filter { $0.hasPrefix("tsne_") }
        #expect(runs.count == 1)
        return workDir.appendingPathComponent(runs.first ?? "missing")
    }

    @Test(".npz stages each get features, an embedding and a log line; --max-num-class filters samples")
    func multiStageNPZ() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tsne")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (feat1, labels) = try Self.blobs(perClass: 60, shift: 5)
        let (feat2, _) = try Self.blobs(perClass: 60, shift: 9)
        let npz = directory.appendingPathComponent("backbone.npz").path
        try NDArray.writeNPZ(["feat1": feat1, "feat2": feat2], to: npz)
        let labelPath = directory.appendingPathComponent("labels.npy").path
        try labels.writeNPY(to: labelPath)
        let workDir = directory.appendingPathComponent("work")
        let result = try Self.tsne([
            npz, "--labels", labelPath, "--work-dir", workDir.path, "--perplexity", "10", "--n-iter", "300",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let run = try Self.runDirectory(workDir)
        let kept = 60 + 40  // the 20 samples labelled 25 are dropped
        for key in ["feat1", "feat2"] {
            let features = try NDArray(npyFile: run.appendingPathComponent("features/backbone_\(key).npy").path)
            #expect(features.shape == [kept, 6] && features.dtype == .float32)
            let embedding = try NDArray(npyFile: run.appendingPathComponent("embeddings/\(key).npy").path)
            #expect(embedding.shape == [kept, 2] && embedding.dtype == .float32)
            #expect(result.stdout.contains(run.appendingPathComponent("embeddings/\(key).npy").path))
        }
        let log = try String(contentsOf: run.appendingPathComponent("tsne.log"), encoding: .utf8)
        #expect(log.contains("[feat1] samples: 100") && log.contains("[feat2] samples: 100"))
        #expect(log.contains("KL divergence") && log.contains("learning_rate: 200"))
        // Every file is reported as `tsne: <path>`, pictures included (1000 × 1000: 10 in at 100 dpi).
        let reported = result.stdout.split(separator: "\n").map(String.init)
        #expect(reported.allSatisfy { $0.hasPrefix("tsne: ") } && reported.count == 2 * 3 + 1)
        for key in ["feat1", "feat2"] {
            let picture = run.appendingPathComponent("saved_pictures/\(key).png").path
            #expect(reported.contains("tsne: \(picture)"))
            let image = try Image(contentsOfFile: picture)
            #expect(image.width == 1000 && image.height == 1000)
        }
        #expect(reported.contains("tsne: \(run.appendingPathComponent("tsne.log").path)"))
        // Not a terminal: no progress bar on standard error.
        #expect(!result.stderr.contains("%"))
    }

    /// The pixels where two same-sized images differ: their count and bounding box.
    static func differingBox(_ a: Image, _ b: Image) -> (count: Int, width: Int, height: Int) {
        let (x, y) = (a.converted(to: .rgb).pixels, b.converted(to: .rgb).pixels)
        var (count, minX, minY, maxX, maxY) = (0, Int.max, Int.max, -1, -1)
        for row in 0..<a.height {
            for column in 0..<a.width {
                let offset = (row * a.width + column) * 3
                guard x[offset..<(offset + 3)] != y[offset..<(offset + 3)] else { continue }
                count += 1
                (minX, minY, maxX, maxY) = (min(minX, column), min(minY, row), max(maxX, column), max(maxY, row))
            }
        }
        return (count, max(maxX - minX + 1, 0), max(maxY - minY + 1, 0))
    }

    @Test("--classes adds a legend of class names to the same picture; bad names files name --classes")
    func classNamesLegend() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tsne")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (features, labels) = try Self.blobs(perClass: 60, shift: 5)
        let path = directory.appendingPathComponent("feats.npy").path
        try features.writeNPY(to: path)
        let labelPath = directory.appendingPathComponent("labels.npy").path
        try labels.writeNPY(to: labelPath)
        let names = directory.appendingPathComponent("names.txt")
        try Data("cat\r\ndog\r\n".utf8).write(to: names)
        let common = [path, "--labels", labelPath, "--perplexity", "10", "--n-iter", "300"]

        var pictures: [Image] = []
        for (index, extra) in [[], ["--classes", names.path]].enumerated() {
            let workDir = directory.appendingPathComponent("work\(index)")
            let result = try Self.tsne(common + extra + ["--work-dir", workDir.path])
            #expect(result.status == 0, "\(result.stderr)")
            let run = try Self.runDirectory(workDir)
            pictures.append(try Image(contentsOfFile: run.appendingPathComponent("saved_pictures/feats.png").path))
            if index == 1 {
                let log = try String(contentsOf: run.appendingPathComponent("tsne.log"), encoding: .utf8)
                #expect(log.contains("classes: \(names.path)"))
            }
        }
        // Same seed, same dots: only a legend-sized box differs (two entries, "cat" and "dog").
        let box = Self.differingBox(pictures[0], pictures[1])
        #expect(box.count > 300 && box.width < 150 && box.height < 80, "\(box)")

        let work = ["--work-dir", directory.appendingPathComponent("bad").path]
        let missing = try Self.tsne(common + ["--classes", directory.appendingPathComponent("none.txt").path] + work)
        #expect(missing.status == 1 && missing.stderr.contains("--classes"), "\(missing.stderr)")
        let one = directory.appendingPathComponent("one.txt")
        try Data("cat\n".utf8).write(to: one)
        let tooFew = try Self.tsne(common + ["--classes", one.path] + work)
        #expect(tooFew.status == 1 && tooFew.stderr.contains("--classes") && tooFew.stderr.contains("1 names for 2 classes"))
        let noLabels = try Self.tsne([path, "--classes", names.path] + work)
        #expect(noLabels.status == 64 && noLabels.stderr.contains("--classes needs --labels"))
        // The names are checked before any work: no run folder was made.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("bad").path))
    }

    @Test("A progress bar on standard error when it is a terminal")
    func progressBarOnTerminal() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tsne")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (features, _) = try Self.blobs(perClass: 40, shift: 5)
        let path = directory.appendingPathComponent("feats.npy").path
        try features.writeNPY(to: path)
        let vis = try TestSupport.productPath("vis")
        let command = [vis, "tsne", path, "--perplexity", "5", "--n-iter", "300", "--work-dir", directory.appendingPathComponent("work").path]
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // util-linux `script` runs the command on a pseudo-terminal and copies what it shows.
        let result = try TestSupport.runCapturing("/usr/bin/script", arguments: ["-q", "-e", "-c", command, "/dev/null"])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("feats earlyExaggeration [>>>>"), "\(result.stdout)")
        #expect(result.stdout.contains("feats optimization [") && result.stdout.contains(" task/s, elapsed: "))
        #expect(result.stdout.contains("\r") && result.stdout.contains("KL "))
        #expect(result.stdout.contains("tsne: ") && result.stdout.contains("saved_pictures/feats.png"))
    }

    @Test("A .npy is one stage keyed by its stem")
    func singleNPY() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tsne")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (features, _) = try Self.blobs(perClass: 40, shift: 5)
        let path = directory.appendingPathComponent("feats.npy").path
        try features.writeNPY(to: path)
        let workDir = directory.appendingPathComponent("work")
        let result = try Self.tsne([path, "--work-dir", workDir.path, "--perplexity", "5", "--init", "pca"])
        #expect(result.status == 0, "\(result.stderr)")
        let run = try Self.runDirectory(workDir)
        let embedding = try NDArray(npyFile: run.appendingPathComponent("embeddings/feats.npy").path)
        #expect(embedding.shape == [80, 2])
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("features/feats_feats.npy").path))
    }

    @Test("Bad input: usage errors name the flag (exit 64), data errors say what is wrong (exit 1)")
    func badInput() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tsne")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (features, labels) = try Self.blobs(perClass: 10, shift: 5)
        let path = directory.appendingPathComponent("feats.npy").path
        try features.writeNPY(to: path)
        let work = ["--work-dir", directory.appendingPathComponent("work").path]

        let badInit = try Self.tsne([path, "--init", "spectral"] + work)
        #expect(badInit.status == 64 && badInit.stderr.contains("--init"))
        let badRate = try Self.tsne([path, "--learning-rate", "-3"] + work)
        #expect(badRate.status == 64 && badRate.stderr.contains("--learning-rate"))

        let perplexity = try Self.tsne([path, "--perplexity", "30"] + work)
        #expect(perplexity.status == 1 && perplexity.stderr.contains("perplexity"))

        let shortLabels = directory.appendingPathComponent("short.npy").path
        try NDArray([Int64](repeating: 0, count: 7), shape: [7]).writeNPY(to: shortLabels)
        let wrongLength = try Self.tsne([path, "--labels", shortLabels, "--perplexity", "3"] + work)
        #expect(wrongLength.status == 1 && wrongLength.stderr.contains("expected 20 integer labels"))
        _ = labels

        var nanValues = features.toFloat32()
        nanValues[13] = .nan
        let nanPath = directory.appendingPathComponent("nan.npy").path
        try NDArray(nanValues, shape: [20, 6]).writeNPY(to: nanPath)
        let nan = try Self.tsne([nanPath, "--perplexity", "3"] + work)
        #expect(nan.status == 1 && nan.stderr.contains("[2, 1]"))

        let onePath = directory.appendingPathComponent("one.npy").path
        try NDArray([Float](repeating: 1, count: 6), shape: [1, 6]).writeNPY(to: onePath)
        let one = try Self.tsne([onePath, "--perplexity", "3"] + work)
        #expect(one.status == 1 && one.stderr.contains("at least 2 samples"))

        let missing = try Self.tsne([directory.appendingPathComponent("none.npy").path] + work)
        #expect(missing.status == 1)
    }
}
