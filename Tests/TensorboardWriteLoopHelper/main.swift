// vis-tb-writeloop: a child process for the `vis tb` tests (Tests/VisCLITests/TensorboardCommandTests.swift).
//
//   vis-tb-writeloop <run-dir> [--count N] [--flush-every N] [--flush-interval SECONDS]
//
// Logs scalar `loss` = step / 2 at steps 0, 1, 2, … with a TensorboardWriter, calls flush() every --flush-every
// steps (default 1000) and then prints `flushed <steps>`; after --count steps (0, the default: until killed) it
// closes the writer and prints `closed <steps>`. The crash-safety test kills it with SIGKILL mid-run.
import Foundation
import VisBackends

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vis-tb-writeloop: \(message)\n".utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard !arguments.isEmpty, !arguments[0].hasPrefix("--") else {
    fail("usage: vis-tb-writeloop <run-dir> [--count N] [--flush-every N] [--flush-interval SECONDS]")
}
let runDirectory = arguments.removeFirst()
var count = 0
var flushEvery = 1000
var flushInterval = 0.1
while !arguments.isEmpty {
    let option = arguments.removeFirst()
    guard let value = arguments.first else { fail("missing value for \(option)") }
    arguments.removeFirst()
    switch option {
    case "--count":
        guard let parsed = Int(value), parsed >= 0 else { fail("--count must be 0 or more, got \(value)") }
        count = parsed
    case "--flush-every":
        guard let parsed = Int(value), parsed > 0 else { fail("--flush-every must be at least 1, got \(value)") }
        flushEvery = parsed
    case "--flush-interval":
        guard let parsed = Double(value), parsed > 0 else { fail("--flush-interval must be positive, got \(value)") }
        flushInterval = parsed
    default:
        fail("unknown option \(option)")
    }
}

do {
    let writer = try TensorboardWriter(logDirectory: runDirectory, flushInterval: flushInterval)
    var step = 0
    while count == 0 || step < count {
        try writer.addScalar("loss", Double(step) / 2, step: step)
        step += 1
        if step % flushEvery == 0 {
            writer.flush()
            FileHandle.standardOutput.write(Data("flushed \(step)\n".utf8))
        }
    }
    writer.close()
    FileHandle.standardOutput.write(Data("closed \(step)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("vis-tb-writeloop: \(error)\n".utf8))
    exit(1)
}
