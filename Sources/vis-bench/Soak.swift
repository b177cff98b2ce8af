import Foundation
import Logging
import Visualization

#if canImport(Glibc)
import Glibc
#endif

/// `vis-bench --soak`: a long run into every file backend at once (local, TensorBoard, W&B offline, MLflow's file
/// store), as a training loop logs: one `loss` scalar per step and an image every `scalars / images` steps. Prints
/// the throughput and resident memory of each window of 100 000 scalars (a leak or a slowdown shows as a trend),
/// the peak resident memory, then reads every backend's files back and counts what arrived.
enum Soak {
    struct Settings {
        var scalars = 1_000_000
        var images = 10_000
        var window = 100_000
        /// The backends to log into (`--backends local,tensorboard,wandb,mlflow`, the default all four).
        var backends = allBackends
    }

    static let allBackends = ["local", "tensorboard", "wandb", "mlflow"]

    /// Resident and peak resident memory (`VmRSS`, `VmHWM` of /proc/self/status) in MiB; nil where there is none.
    static func memory() -> (resident: Double, peak: Double)? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        func kibibytes(_ key: String) -> Double? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
        }
        guard let resident = kibibytes("VmRSS"), let peak = kibibytes("VmHWM") else { return nil }
        return (resident / 1024, peak / 1024)
    }

    /// A 64×48 image that changes with `step` (so no two PNGs are the same).
    static func image(step: Int) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: 64 * 48 * 3)
        for y in 0..<48 {
            for x in 0..<64 {
                let index = (y * 64 + x) * 3
                pixels[index] = UInt8(truncatingIfNeeded: x * 4 + step)
                pixels[index + 1] = UInt8(truncatingIfNeeded: y * 5)
                pixels[index + 2] = UInt8(truncatingIfNeeded: (x ^ y) &+ step / 256)
            }
        }
        return try Image(width: 64, height: 48, layout: .rgb, pixels: pixels)
    }

    /// Runs the soak in `directory`; returns whether every record arrived and nothing failed.
    static func run(_ settings: Settings, in directory: URL) throws -> Bool {
        let failures = LockedValue<[String]>([])
        let report: VisBackendErrorHandler = { error in failures.withLock { $0.append("\(error)") } }
        // Warnings and failures still reach stderr; the notices (where each run went) are printed below.
        var logger = Logger(label: "vis-bench.soak")
        logger.logLevel = .warning
        let root = directory.path
        let local = try LocalVisBackend(saveDir: root + "/local", logger: logger, errorHandler: report)
        let tensorboard = try TensorboardVisBackend(saveDir: root + "/tensorboard", logger: logger, errorHandler: report)
        let wandb = try WandbVisBackend(
            saveDir: root + "/wandb", project: "soak", logger: logger, errorHandler: report)
        let mlflow = try MLflowVisBackend(
            saveDir: root + "/mlflow", expName: "soak", environment: [:], logger: logger, errorHandler: report)
        let chosen: [(String, any VisBackend)] = [("local", local), ("tensorboard", tensorboard), ("wandb", wandb), ("mlflow", mlflow)]
            .filter { settings.backends.contains($0.0) }
        let backends = try MultiplexVisBackend(chosen.map(\.1), errorHandler: report, logger: logger)

        let imageEvery = max(1, settings.scalars / max(1, settings.images))
        print("soak: \(settings.scalars) scalars and \(settings.scalars / imageEvery) images (64×48) into "
            + "\(chosen.map(\.0).joined(separator: ", ")) in \(root)")
        print("window | scalars/s | images/s | RSS MiB")
        print("---|---:|---:|---:")
        var throughputs: [Double] = []
        var windowStart = DispatchTime.now().uptimeNanoseconds
        let start = windowStart
        var imagesInWindow = 0
        for step in 0..<settings.scalars {
            try backends.addScalar(name: "loss", value: .double(1 / Double(step + 1)), step: step)
            if step % imageEvery == 0 {
                try backends.addImage(name: "sample", image: try image(step: step), step: step)
                imagesInWindow += 1
            }
            if (step + 1) % settings.window == 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                let seconds = Double(now - windowStart) / 1e9
                throughputs.append(Double(settings.window) / seconds)
                let resident = memory().map { String(format: "%.1f", $0.resident) } ?? "?"
                print("\((step + 1 - settings.window) / 1000)k–\((step + 1) / 1000)k | "
                    + "\(Int(Double(settings.window) / seconds)) | \(Int(Double(imagesInWindow) / seconds)) | \(resident)")
                windowStart = now
                imagesInWindow = 0
            }
        }
        let logged = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        backends.close()
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let peak = memory().map { String(format: "%.1f MiB", $0.peak) } ?? "unknown"
        print(String(format: "logged in %.1f s, closed (everything on disk) after %.1f s; peak RSS (VmHWM) %@",
            logged, total, peak))
        if let first = throughputs.first, let last = throughputs.last, let slowest = throughputs.min() {
            print(String(format: "throughput: first window %.0f/s, last %.0f/s (last/first %.2f), slowest %.0f/s",
                first, last, last / first, slowest))
        }

        // Read everything back and count.
        let expectedImages = (settings.scalars + imageEvery - 1) / imageEvery
        var counts: [(String, Int, Int)] = []
        let chosenNames = Set(settings.backends)
        if chosenNames.contains("local") {
            let lines = try Data(contentsOf: URL(fileURLWithPath: local.path("scalars.json"))).reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            let pngs = try FileManager.default.contentsOfDirectory(atPath: local.path("vis_image")).filter { $0.hasSuffix(".png") }
            counts.append(("local", lines, pngs.count))
        }
        if chosenNames.contains("tensorboard") {
            let eventFiles = try FileManager.default.contentsOfDirectory(atPath: root + "/tensorboard")
                .filter { $0.hasPrefix("events.out.tfevents") }
            var tensorboardScalars = 0
            var tensorboardImages = 0
            for name in eventFiles {
                let file = try TensorboardEventFile(contentsOf: root + "/tensorboard/" + name)
                tensorboardScalars += file.scalars.count { $0.tag == "loss" }
                tensorboardImages += file.images.count
            }
            counts.append(("tensorboard", tensorboardScalars, tensorboardImages))
        }
        if chosenNames.contains("wandb") {
            var rows = 0
            var imageRows = 0
            if let run = wandb.runDirectory,
                let log = try FileManager.default.contentsOfDirectory(atPath: run).first(where: { $0.hasSuffix(".wandb") })
            {
                for record in try WandbLogReader(path: run + "/" + log).records() {
                    guard case .history(let history) = record.content else { continue }
                    if history.items.contains(where: { $0.key == "loss" }) { rows += 1 }
                    if history.items.contains(where: { $0.key == "sample" }) { imageRows += 1 }
                }
            }
            counts.append(("wandb", rows, imageRows))
        }
        if chosenNames.contains("mlflow") { counts.append(try mlflowCounts(root + "/mlflow")) }
        print("backend | scalars read back | images read back")
        print("---|---:|---:")
        var complete = true
        for (backend, scalars, images) in counts {
            // MLflow's artifact for an image name is overwritten at every step (MMEngine's `log_image(image, name)`).
            let wanted = backend == "mlflow" ? 1 : expectedImages
            print("\(backend) | \(scalars) | \(images)\(backend == "mlflow" ? " (one artifact per name)" : "")")
            complete = complete && scalars == settings.scalars && images == wanted
        }
        let failed = failures.withLock { $0 }
        if !failed.isEmpty { print("failures: \(failed)") }
        print(complete && failed.isEmpty
            ? "every record arrived (\(settings.scalars) scalars and \(expectedImages) images in each backend)"
            : "RECORDS MISSING: expected \(settings.scalars) scalars and \(expectedImages) images in each backend")
        return complete && failed.isEmpty
    }

    /// The `loss` metric lines and PNG artifacts of the one run in an MLflow file store under `saveDir`.
    static func mlflowCounts(_ saveDir: String) throws -> (String, Int, Int) {
        var scalars = 0
        var images = 0
        guard let walker = FileManager.default.enumerator(atPath: saveDir) else { return ("mlflow", 0, 0) }
        while let relative = walker.nextObject() as? String {
            let path = saveDir + "/" + relative
            if relative.hasSuffix("/metrics/loss") {
                scalars += try Data(contentsOf: URL(fileURLWithPath: path)).reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            } else if relative.contains("/artifacts/"), relative.hasSuffix(".png") {
                images += 1
            }
        }
        return ("mlflow", scalars, images)
    }
}
