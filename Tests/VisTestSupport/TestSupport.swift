import Foundation
import Testing
import VisCore

/// Helpers shared by the test targets. Not part of the public product.
public enum TestSupport {
    /// The package root (the folder holding Package.swift), found from this source file's path.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// Whether the tests run under CI (`CI=true`), where a missing tool is a failure, never a skip.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether golden images should be rewritten instead of compared (`VIS_REGENERATE_GOLDEN=1`).
    public static var regenerateGoldens: Bool { ProcessInfo.processInfo.environment["VIS_REGENERATE_GOLDEN"] == "1" }

    /// A new empty directory under the system temporary directory.
    public static func makeTemporaryDirectory(_ label: String = "vis-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The interop Python interpreter: `$VIS_PYTHON`, else `<packageRoot>/.venv-ci/bin/python` (made by
    /// `Scripts/test.sh`).
    ///
    /// - Throws: ``TestSupportError/missingTool(_:)`` when neither exists. Tests call this unconditionally, so a
    ///   missing interpreter fails the run instead of skipping it.
    public static func interopPython() throws -> String {
        if let path = ProcessInfo.processInfo.environment["VIS_PYTHON"], !path.isEmpty,
            FileManager.default.isExecutableFile(atPath: path)
        {
            return path
        }
        let venv = packageRoot.appendingPathComponent(".venv-ci/bin/python").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        throw TestSupportError.missingTool(
            "interop Python not found: run Scripts/test.sh (it creates .venv-ci) or set VIS_PYTHON")
    }

    /// Runs a Python script with the interop interpreter and returns its standard output.
    ///
    /// - Throws: ``TestSupportError/commandFailed(_:status:stderr:)`` on a non-zero exit.
    @discardableResult
    public static func runPython(_ script: String, arguments: [String] = []) throws -> String {
        try run(try interopPython(), arguments: ["-c", script] + arguments)
    }

    /// Runs a program and returns its standard output; throws on a non-zero exit with its standard error.
    @discardableResult
    public static func run(
        _ executable: String, arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil
    ) throws -> String {
        let result = try runCapturing(
            executable, arguments: arguments, environment: environment, currentDirectory: currentDirectory)
        guard result.status == 0 else {
            throw TestSupportError.commandFailed(
                ([executable] + arguments).joined(separator: " "), status: result.status, stderr: result.stderr)
        }
        return result.stdout
    }

    /// Runs a program and returns its exit status, standard output and standard error.
    public static func runCapturing(
        _ executable: String, arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so neither child stream can fill up and block the child.
        let errData = LockedValue(Data())
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errData.withLock { $0 = data }
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData.withLock { $0 }, as: UTF8.self)
        )
    }

    /// The path of a built product (`vis`, `vis-bench`) next to the test bundle.
    public static func productPath(_ name: String) throws -> String {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent(name),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name),
        ] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent(name) }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        let build = packageRoot.appendingPathComponent(".build/debug/\(name)").path
        if FileManager.default.isExecutableFile(atPath: build) { return build }
        throw TestSupportError.missingTool("built product `\(name)` not found next to the tests; run `swift build` first")
    }

    /// Compares `image` with the golden PNG `name` in `directory`. Returns the largest absolute per-sample
    /// difference, the count of samples that differ by more than `tolerance`, and where the rendered image was
    /// written when they differ (`<name>.actual.png` in a temporary directory of this run, never in `Tests/`;
    /// the path is also printed).
    ///
    /// With `VIS_REGENERATE_GOLDEN=1` (`regenerate`) the golden is rewritten instead and a test issue is recorded,
    /// so a run that regenerates can never pass: look at the new PNGs, commit them, and rerun without the flag.
    ///
    /// - Throws: ``TestSupportError/missingGolden(_:)`` when the golden file does not exist and regeneration is
    ///   off.
    public static func compareWithGolden(
        _ image: Image, name: String, directory: URL, tolerance: Int = 0, regenerate: Bool = regenerateGoldens,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (maxDifference: Int, differingSamples: Int, actualPath: String?) {
        let url = directory.appendingPathComponent(name)
        if regenerate {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try ImageGoldenIO.write(image, to: url.path)
            let note = "regenerated golden image \(url.path) (VIS_REGENERATE_GOLDEN=1): look at it, commit it and "
            Issue.record("\(note)rerun without the flag", sourceLocation: sourceLocation)
            return (0, 0, nil)
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TestSupportError.missingGolden("\(url.path) (regenerate with VIS_REGENERATE_GOLDEN=1)")
        }
        let golden = try ImageGoldenIO.read(url.path)
        guard golden.width == image.width, golden.height == image.height, golden.layout == image.layout else {
            return (255, max(golden.pixels.count, image.pixels.count), writeActual(image, name: name))
        }
        var maxDifference = 0
        var differing = 0
        for (a, b) in zip(golden.pixels, image.pixels) {
            let difference = abs(Int(a) - Int(b))
            maxDifference = max(maxDifference, difference)
            if difference > tolerance { differing += 1 }
        }
        return (maxDifference, differing, differing > 0 ? writeActual(image, name: name) : nil)
    }

    /// This run's folder for the images of failed golden comparisons (made on first use).
    private static let actualImagesDirectory: URL? = try? makeTemporaryDirectory("vis-golden-actual")

    /// Writes the rendered image of a failed comparison to ``actualImagesDirectory`` and prints where.
    private static func writeActual(_ image: Image, name: String) -> String? {
        guard let directory = actualImagesDirectory else { return nil }
        let path = directory.appendingPathComponent(
            URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent + ".actual.png"
        ).path
        guard (try? ImageGoldenIO.write(image, to: path)) != nil else { return nil }
        print("golden mismatch for \(name): the rendered image is at \(path)")
        return path
    }
}

/// Failures of the test harness itself.
public enum TestSupportError: Error, CustomStringConvertible {
    case missingTool(String)
    case missingGolden(String)
    case commandFailed(String, status: Int32, stderr: String)

    public var description: String {
        switch self {
        case .missingTool(let what): return "missing tool: \(what)"
        case .missingGolden(let what): return "missing golden image: \(what)"
        case let .commandFailed(command, status, stderr): return "`\(command)` exited \(status): \(stderr)"
        }
    }
}

/// Collects values from any thread, in the order they arrive.
public final class Recorder<Value: Sendable>: Sendable {
    private let storage = LockedValue<[Value]>([])
    public init() {}
    public func append(_ value: Value) { storage.withLock { $0.append(value) } }
    public var values: [Value] { storage.withLock { $0 } }
}

/// Randomized tests draw from VisCore's seeded generator, so that they reproduce their failures.
public typealias SeededGenerator = SplitMix64
