import Foundation
import VisEmbedding
import Visualization

/// vis-bench's t-SNE section (`vis-bench --filter tsne`, or `tsne.digits` etc. for one data set): one fit each — a
/// t-SNE run takes seconds to minutes, so the median-of-runs timer of the other workloads does not apply — of our
/// engine (defaults, every core), scikit-learn's `TSNE` and openTSNE's `TSNE` (defaults, `n_jobs=-1`) on the same
/// data in the same run, with the embeddings' quality beside the times: leave-one-out 10-NN accuracy of the labels
/// and trustworthiness (k = 10; above 5000 points on a fixed random sample of 5000, since scikit-learn's
/// `trustworthiness` holds an N × N distance matrix).
enum TSNEBench {
    struct DataSet {
        let name: String
        /// Python defining X and y.
        let generator: String
        /// Why scikit-learn is not run, when it is not.
        let skipScikitLearn: String?
    }

    static let dataSets = [
        DataSet(
            name: "tsne.digits", generator: "from sklearn.datasets import load_digits\nX, y = load_digits(return_X_y=True)",
            skipScikitLearn: nil),
        DataSet(name: "tsne.blobs.20000x50", generator: blobs(20_000), skipScikitLearn: nil),
        DataSet(
            name: "tsne.blobs.70000x50", generator: blobs(70_000),
            skipScikitLearn: "its Barnes-Hut takes well over 10 minutes at 70 000 points on 2 cores"),
    ]

    /// Ten Gaussian clusters in 50 dimensions (as the quality tests use at 4000 points).
    static func blobs(_ n: Int) -> String {
        """
        from sklearn.datasets import make_blobs
        X, y = make_blobs(n_samples=\(n), n_features=50, centers=10, cluster_std=4.0, random_state=0)
        """
    }

    static let anchorScript = """
        import json, sys, time, numpy as np
        d, skip = sys.argv[1], sys.argv[2] == "1"
        X = np.load(d + "/x.npy")
        out = {}
        if not skip:
            from sklearn.manifold import TSNE
            t0, c0 = time.perf_counter(), time.process_time()
            E = TSNE(n_components=2, random_state=0, n_jobs=-1).fit_transform(X)
            out["sklearn_seconds"] = time.perf_counter() - t0
            out["sklearn_cpu"] = time.process_time() - c0
            np.save(d + "/sklearn.npy", E.astype(np.float32))
        import openTSNE
        t0, c0 = time.perf_counter(), time.process_time()
        E = np.asarray(openTSNE.TSNE(n_components=2, random_state=0, n_jobs=-1).fit(X))
        out["opentsne_seconds"] = time.perf_counter() - t0
        out["opentsne_cpu"] = time.process_time() - c0
        out["opentsne_version"] = openTSNE.__version__
        np.save(d + "/opentsne.npy", E.astype(np.float32))
        print(json.dumps(out))
        """

    static let qualityScript = """
        import json, os, sys, numpy as np
        from sklearn.manifold import trustworthiness
        from sklearn.neighbors import NearestNeighbors
        d = sys.argv[1]
        X, y = np.load(d + "/x.npy"), np.load(d + "/y.npy")
        sample = np.random.default_rng(0).choice(len(X), 5000, replace=False) if len(X) > 5000 else np.arange(len(X))
        out = {}
        for name in ("ours", "sklearn", "opentsne"):
            if not os.path.exists(d + "/" + name + ".npy"):
                continue
            E = np.load(d + "/" + name + ".npy").astype(np.float64)
            idx = NearestNeighbors(n_neighbors=11).fit(E).kneighbors(E, return_distance=False)[:, 1:]
            votes = np.array([np.bincount(y[row], minlength=y.max() + 1).argmax() for row in idx])
            out[name + "_accuracy"] = float((votes == y).mean())
            out[name + "_trust"] = float(trustworthiness(X[sample], E[sample], n_neighbors=10))
        print(json.dumps(out))
        """

    /// The section's entry point from `main.swift`: resolves the Python (the bench venv unless `--python` or
    /// `--no-anchors`), runs in a scratch directory, exits 1 on failure.
    static func main(filter: String, python: String?, anchors: Bool) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vis-bench-tsne-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var interpreter: String? = nil
        if anchors {
            let candidate = python ?? packageRoot().appendingPathComponent(".venv-bench/bin/python").path
            if FileManager.default.isExecutableFile(atPath: candidate) {
                interpreter = candidate
            } else {
                print("(no anchors: \(candidate) not found; run Scripts/bench-venv.sh or pass --python)")
            }
        }
        do {
            try run(filter: filter, python: interpreter, directory: directory)
        } catch {
            FileHandle.standardError.write(Data("vis-bench: \(error)\n".utf8))
            exit(1)
        }
        #if DEBUG
        print("warning: a debug build; run `swift run -c release vis-bench --filter tsne` for real figures")
        #endif
    }

    /// Runs the data sets whose name contains `filter`; prints a table. Without `python`, only our times.
    static func run(filter: String, python: String?, directory: URL) throws {
        // Rows are printed as they finish: the whole section takes many minutes.
        func emit(_ line: String) {
            print(line)
            fflush(nil)
        }
        emit("t-SNE: wall seconds per fit (one run) and CPU seconds (all threads; fairer on a shared machine), "
            + "quality of the 2-D embedding, our peak memory")
        emit("data | N×D | ours s (CPU) | scikit-learn s (CPU) | openTSNE s (CPU) | openTSNE/ours wall (CPU) | "
            + "scikit-learn/ours wall (CPU) | 10-NN acc ours / sk / oTSNE | trust ours / sk / oTSNE | our method | "
            + "our peak RSS MB")
        emit("---|---|---:|---:|---:|---:|---:|---|---|---|---:")
        let generatorPython = python ?? "python3"
        for dataSet in dataSets where dataSet.name.contains(filter) || filter.contains(dataSet.name) || filter == "tsne" {
            let dir = directory.appendingPathComponent(dataSet.name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            _ = try runPython(
                generatorPython,
                """
                import sys, numpy as np
                \(dataSet.generator)
                np.save(sys.argv[1] + "/x.npy", np.asarray(X, np.float32))
                np.save(sys.argv[1] + "/y.npy", np.asarray(y, np.int64))
                """, arguments: [dir.path])
            let x = try NDArray(npyFile: dir.appendingPathComponent("x.npy").path)
            let start = ContinuousClock.now
            let cpuStart = cpuSeconds()
            let embedding = try TSNE().fit(x)
            let oursCPU = cpuSeconds() - cpuStart
            let elapsed = ContinuousClock.now - start
            let ours = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            try embedding.points.writeNPY(to: dir.appendingPathComponent("ours.npy").path)
            let peak = peakResidentMegabytes()
            FileHandle.standardError.write(Data("  \(dataSet.name): ours \(String(format: "%.1f", ours)) s\n".utf8))

            var figures: [String: Any] = [:]
            if let python {
                let skip = dataSet.skipScikitLearn != nil
                let anchors = try runPython(python, anchorScript, arguments: [dir.path, skip ? "1" : "0"])
                let quality = try runPython(python, qualityScript, arguments: [dir.path])
                for text in [anchors, quality] {
                    if let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
                        figures.merge(object) { $1 }
                    }
                }
            }
            func number(_ key: String) -> Double? { figures[key] as? Double }
            func seconds(_ name: String) -> String {
                guard let wall = number(name + "_seconds"), let cpu = number(name + "_cpu") else { return "–" }
                return String(format: "%.1f (%.1f)", wall, cpu)
            }
            func ratio(_ name: String) -> String {
                guard let wall = number(name + "_seconds"), let cpu = number(name + "_cpu") else { return "–" }
                return String(format: "%.2f× (%.2f×)", wall / ours, cpu / oursCPU)
            }
            func triple(_ suffix: String) -> String {
                ["ours", "sklearn", "opentsne"].map { name in
                    number("\(name)_\(suffix)").map { String(format: "%.3f", $0) } ?? "–"
                }.joined(separator: " / ")
            }
            let shape = x.shape.map(String.init).joined(separator: "×")
            let sklearnSeconds = dataSet.skipScikitLearn == nil ? seconds("sklearn") : "skipped"
            emit("\(dataSet.name) | \(shape) | \(String(format: "%.1f (%.1f)", ours, oursCPU)) | \(sklearnSeconds) | "
                + "\(seconds("opentsne")) | \(ratio("opentsne")) | \(ratio("sklearn")) | "
                + "\(triple("accuracy")) | \(triple("trust")) | \(embedding.method) | \(String(format: "%.0f", peak))")
        }
        for dataSet in dataSets {
            if let reason = dataSet.skipScikitLearn { emit("\(dataSet.name): scikit-learn skipped: \(reason)") }
        }
        emit("(ratios > 1: we are faster; trustworthiness above 5000 points is on a fixed sample of 5000)")
    }

    /// User + system CPU seconds of this process so far (all threads).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(macOS)
        getrusage(RUSAGE_SELF, &usage)
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) * 1e-6
    }

    /// The process's peak resident set so far, in MB (Linux reports kilobytes, macOS bytes).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(macOS)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
        #endif
    }

    /// Runs a Python snippet and returns its standard output; its standard error passes through.
    static func runPython(_ python: String, _ script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TSNEBenchError(message: "\(python) failed (status \(process.terminationStatus))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct TSNEBenchError: LocalizedError {
    let message: String
    var errorDescription: String? { message }
}
