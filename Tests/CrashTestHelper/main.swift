// vis-crashtest: the child process of the crash and fault tests (Tests/VisualizationTests/LocalBackendCrashTests.swift,
// Tests/VisualizationTests/BackendKillTests.swift, Tests/VisBackendsTests/FileFaultTests.swift).
//
//   vis-crashtest <save-dir>
//       Logs scalars (plain, NaN/Inf, and a multi-key line with an extra file) and images into a LocalVisBackend in
//       an endless loop, flushing every 50 steps and printing `flushed <lines>` after each flush, until killed.
//   vis-crashtest all-backends <save-dir>
//       Logs one `loss` scalar per step and a `sample` image every 5 steps into LocalVisBackend (<save-dir>/local),
//       TensorboardVisBackend (<save-dir>/tensorboard) and WandbVisBackend (<save-dir>/wandb), flushing every 20
//       steps and printing `flushed <steps>`, until killed. SIGTERM is handled as a training script would: the
//       loop stops after the current step, the backends are closed and `closed <steps>` is printed.
//   vis-crashtest steps <save-dir> <steps>
//       The same three backends for <steps> steps, then closes them. Every failure reported (thrown into the loop
//       and caught, or reported by a backend's writer) is printed as `reported <error>`; `done <steps>` ends.
import Foundation
import VisBackends
import VisCore

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vis-crashtest: \(message)\n".utf8))
    exit(1)
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The endless local-backend loop of the original crash test.
func localLoop(saveDir: String) throws -> Never {
    let backend = try LocalVisBackend(saveDir: saveDir)
    var image = try Image(width: 96, height: 64, layout: .rgb)
    var lines = 0
    var step = 0
    while true {
        try backend.addScalar(name: "loss", value: .double(1.0 / Double(step + 1)), step: step)
        try backend.addScalars(
            ["acc": .double(Double(step % 100) / 100), "epoch": .int(step / 100), "nan": .double(.nan),
             "inf": .double(-.infinity), "label": 7],
            step: step, filePath: "extra.json")
        lines += 2
        if step % 10 == 0 {
            for index in stride(from: 0, to: image.pixels.count, by: 7) {
                image.pixels[index] = UInt8(truncatingIfNeeded: step &+ index)
            }
            try backend.addImage(name: "sample", image: image, step: step)
        }
        if step % 50 == 49 {
            backend.flush()
            say("flushed \(lines)")
        }
        step += 1
    }
}

/// Prints a reported failure, one line per backend of a multiplexer report.
func printReport(_ error: VisBackendError) {
    guard case .backendsFailed(let failures) = error else { return say("reported \(error)") }
    for failure in failures { say("reported \(failure)") }
}

/// Local, TensorBoard and W&B backends in `saveDir`, behind one multiplexer that reports each failure thrown into
/// the loop; writer-thread failures go to `report` too.
func allBackends(saveDir: String, report: @escaping VisBackendErrorHandler) throws -> MultiplexVisBackend {
    try MultiplexVisBackend(
        [
            try LocalVisBackend(saveDir: saveDir + "/local", errorHandler: report),
            try TensorboardVisBackend(saveDir: saveDir + "/tensorboard", errorHandler: report),
            try WandbVisBackend(saveDir: saveDir + "/wandb", project: "crash", errorHandler: report),
        ], errorHandler: report)
}

/// One training step: a `loss` scalar, and an image every 5 steps. Failures were reported by the multiplexer.
func logStep(_ step: Int, into backend: MultiplexVisBackend, image: inout Image) {
    _ = try? backend.addScalar(name: "loss", value: .double(1.0 / Double(step + 1)), step: step)
    if step % 5 == 0 {
        for index in stride(from: 0, to: image.pixels.count, by: 5) {
            image.pixels[index] = UInt8(truncatingIfNeeded: step &+ index)
        }
        _ = try? backend.addImage(name: "sample", image: image, step: step)
    }
}

let arguments = CommandLine.arguments
do {
    switch arguments.count > 1 ? arguments[1] : "" {
    case "all-backends" where arguments.count == 3:
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        let terminated = LockedValue(false)
        signal(SIGTERM, SIG_IGN)
        terminate.setEventHandler { terminated.withLock { $0 = true } }
        terminate.resume()
        let backend = try allBackends(saveDir: arguments[2], report: printReport)
        var image = try Image(width: 48, height: 32, layout: .rgb)
        var step = 0
        while !terminated.withLock({ $0 }) {
            logStep(step, into: backend, image: &image)
            step += 1
            if step % 20 == 0 {
                backend.flush()
                say("flushed \(step)")
            }
        }
        backend.close()
        say("closed \(step)")
    case "steps" where arguments.count == 4:
        guard let steps = Int(arguments[3]), steps > 0 else { fail("steps must be a positive integer") }
        let backend = try allBackends(saveDir: arguments[2], report: printReport)
        var image = try Image(width: 48, height: 32, layout: .rgb)
        for step in 0..<steps {
            logStep(step, into: backend, image: &image)
            if step % 20 == 19 { backend.flush() }
        }
        backend.close()
        say("done \(steps)")
    case _ where arguments.count == 2:
        try localLoop(saveDir: arguments[1])
    default:
        fail("usage: vis-crashtest <save-dir> | all-backends <save-dir> | steps <save-dir> <steps>")
    }
} catch {
    fail("\(error)")
}
