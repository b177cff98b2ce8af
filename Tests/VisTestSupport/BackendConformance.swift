import Foundation
import VisBackends
import VisCore

/// The contract every ``VisBackend`` of the project keeps, as executable checks. Each backend's test target calls
/// ``check(_:)`` with a factory; TensorBoard, W&B and future backends run the same suite.
///
/// Checked: lazy opening (construction and closing an unused backend touch nothing on disk), every `add*`
/// accepting valid input (ints, floats, NaN/±∞, RGB/gray/RGBA images, configs, graphs), `flush()` returning,
/// concurrent calls from several threads, `close()` idempotent, `add*` after `close()` throwing
/// ``VisBackendError/closed(backend:)`` (directly or inside ``VisBackendError/backendsFailed(_:)``), and
/// `flush()`/`close()` after `close()` returning.
public enum BackendConformance {
    /// A broken rule, with the check's name.
    public struct Failure: Error, CustomStringConvertible {
        public let check: String
        public let message: String
        public var description: String { "\(check): \(message)" }
    }

    /// Makes a backend that writes into the given (not yet existing) directory.
    public typealias Factory = (_ saveDir: String) throws -> any VisBackend

    /// Runs every check; throws the first ``Failure``.
    public static func check(_ makeBackend: Factory) throws {
        try checkLazyOpening(makeBackend)
        try checkAddsAcceptValidInput(makeBackend)
        try checkConcurrentCalls(makeBackend)
        try checkCloseSemantics(makeBackend)
    }

    static func freshSaveDir() throws -> String {
        try TestSupport.makeTemporaryDirectory("conformance").appendingPathComponent("run").path
    }

    static func expect(_ condition: Bool, _ check: String, _ message: @autoclosure () -> String) throws {
        if !condition { throw Failure(check: check, message: message()) }
    }

    /// Construction and closing an unused backend create nothing.
    public static func checkLazyOpening(_ makeBackend: Factory) throws {
        let saveDir = try freshSaveDir()
        let backend = try makeBackend(saveDir)
        try expect(
            !FileManager.default.fileExists(atPath: saveDir), "lazy opening",
            "constructing \(visBackendTypeName(backend)) created \(saveDir)")
        backend.close()
        backend.close()
        try expect(
            !FileManager.default.fileExists(atPath: saveDir), "lazy opening",
            "closing an unused \(visBackendTypeName(backend)) created \(saveDir)")
    }

    /// Every `add*` accepts valid input and `flush()` returns.
    public static func checkAddsAcceptValidInput(_ makeBackend: Factory) throws {
        let backend = try makeBackend(try freshSaveDir())
        defer { backend.close() }
        let check = "valid input"
        do {
            _ = try backend.experiment
            try backend.addConfig(["model": ["depth": 50, "name": "resnet"], "lr": 0.01, "tags": ["a", "b"]])
            try backend.addGraph(ModelGraph(nodes: [.init(name: "input", op: "Input"), .init(name: "fc", op: "Linear", inputs: ["input"])]))
            for layout in PixelLayout.allCases {
                let image = try Image(width: 8, height: 6, layout: layout, fill: Array(repeating: 200, count: layout.channels))
                try backend.addImage(name: "image_\(layout)", image: image, step: 1)
            }
            try backend.addScalar(name: "int", value: 3, step: 0)
            try backend.addScalar(name: "float", value: 0.25, step: 1)
            try backend.addScalar(name: "nan", value: .double(.nan), step: 2)
            try backend.addScalar(name: "inf", value: .double(.infinity), step: 3)
            try backend.addScalars(["loss": 0.5, "epoch": 1], step: 4)
            try backend.addScalars(["loss": 0.4, "epoch": 1], step: 5, filePath: "extra.json")
            backend.flush()
        } catch {
            throw Failure(check: check, message: "\(visBackendTypeName(backend)) rejected valid input: \(error)")
        }
    }

    /// Eight threads log at once; nothing crashes and every call is accepted.
    public static func checkConcurrentCalls(_ makeBackend: Factory) throws {
        let backend = try makeBackend(try freshSaveDir())
        defer { backend.close() }
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for step in 0..<200 {
                do {
                    try backend.addScalar(name: "thread\(thread)", value: .int(step), step: step)
                } catch {
                    failures.increment()
                }
            }
        }
        backend.flush()
        try expect(failures.value == 0, "concurrent calls", "\(failures.value) concurrent addScalar calls failed")
    }

    /// `close()` is idempotent; `add*` afterwards throws `closed`; `flush()` and `close()` still return.
    public static func checkCloseSemantics(_ makeBackend: Factory) throws {
        let backend = try makeBackend(try freshSaveDir())
        try backend.addScalar(name: "before", value: 1, step: 0)
        backend.close()
        backend.close()
        backend.flush()
        let image = try Image(width: 2, height: 2)
        let calls: [(String, () throws -> Void)] = [
            ("addScalar", { try backend.addScalar(name: "after", value: 1, step: 1) }),
            ("addScalars", { try backend.addScalars(["after": 1], step: 1) }),
            ("addImage", { try backend.addImage(name: "after", image: image, step: 1) }),
            ("addConfig", { try backend.addConfig(["a": 1]) }),
        ]
        for (name, call) in calls {
            do {
                try call()
                throw Failure(check: "close", message: "\(name) after close() did not throw")
            } catch let error as VisBackendError {
                try expect(isClosedError(error), "close", "\(name) after close() threw \(error), expected `closed`")
            }
        }
    }

    static func isClosedError(_ error: VisBackendError) -> Bool {
        switch error {
        case .closed: return true
        case .backendsFailed(let failures):
            return !failures.isEmpty && failures.allSatisfy { failure in
                if case .closed? = failure.error { return true }
                return false
            }
        default: return false
        }
    }
}

/// A thread-safe counter for tests.
public final class Counter: Sendable {
    private let count = LockedValue(0)
    public init() {}
    public func increment() { count.withLock { $0 += 1 } }
    public var value: Int { count.withLock { $0 } }
}
