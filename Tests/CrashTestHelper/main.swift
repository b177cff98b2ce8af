// vis-crashtest: the child process of the crash test (Tests/VisualizationTests/LocalBackendCrashTests.swift).
//
//   vis-crashtest <save-dir>
//
// Logs scalars (plain, NaN/Inf, and a multi-key line with an extra file) and images into a LocalVisBackend in an
// endless loop, flushing every 50 steps and printing `flushed <lines>` after each flush, until it is killed.
import Foundation
import VisBackends
import VisCore

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: vis-crashtest <save-dir>\n".utf8))
    exit(2)
}
do {
    let backend = try LocalVisBackend(saveDir: arguments[1])
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
            FileHandle.standardOutput.write(Data("flushed \(lines)\n".utf8))
        }
        step += 1
    }
} catch {
    FileHandle.standardError.write(Data("vis-crashtest: \(error)\n".utf8))
    exit(1)
}
