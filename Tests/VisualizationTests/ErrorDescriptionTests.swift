import Foundation
import Testing
import Visualization

/// Every public error type of every library module reports its own message through `localizedDescription`
/// (what `LocalizedError` provides and what most callers print), not Foundation's "The operation could not be
/// completed. (Module.Type error N.)".
@Suite("Error descriptions")
struct ErrorDescriptionTests {
    static let errors: [any Error] = [
        VisCoreError.invalidArgument(argument: "width", expected: "a positive size", actual: "0"),
        VisCoreError.corruptData(source: "a.npy", reason: "truncated header"),
        VisCoreError.unsupportedFormat(source: "a.png", reason: "16-bit palette"),
        VisCoreError.tooLarge(source: "a.png", reason: "100000 × 100000 pixels"),
        VisCoreError.io(path: "/tmp/x", reason: "permission denied"),
        VisDrawError.invalidGeometry(argument: "path", reason: "NaN vertex"),
        VisDrawError.invalidArgument(argument: "lineWidth", expected: "at least 0", actual: "-1"),
        VisDrawError.fontFileNotFound(path: "/fonts/none.ttf"),
        VisDrawError.noFontAvailable(request: "sans-serif"),
        VisBackendError.pathEscapesSaveDir(argument: "name", path: "../x"),
        VisBackendError.io(path: "/ro/scalars.json", reason: "read-only file system"),
        VisBackendError.closed(backend: "LocalVisBackend"),
        VisBackendError.backendsFailed([
            BackendFailure(
                backend: "local", operation: "addScalar", error: VisBackendError.closed(backend: "local")),
        ]),
        TensorboardError.corruptRecord(path: "events.out", offset: 12, reason: "bad CRC"),
        TensorboardError.closed(path: "events.out"),
        ProtobufDecodingError(offset: 3, reason: "needs 4 bytes, 1 left"),
        WandbLogError.invalidHeader(path: "run.wandb"),
        VisualizerError.noImage(visualizer: "vis"),
        VisualizerError.invalidArgument(argument: "alpha", expected: "a number in 0...1", actual: "2"),
        DataSampleError.labelOutOfRange(field: "gt_instances.labels[2]", label: 7, classCount: 3),
        DataSampleError.emptySample(task: "DetectionVisualizer", drawGT: true, drawPred: false),
        FeatmapError.invalidRank(shape: [4, 4]),
        FeatmapError.unsupportedReduction("sum"),
    ]

    @Test("localizedDescription is the error's own description", arguments: errors.indices)
    func localizedDescription(index: Int) {
        let error = Self.errors[index]
        let description = String(describing: error)
        #expect(error.localizedDescription == description)
        #expect(!error.localizedDescription.contains("could not be completed"), "\(type(of: error))")
        #expect((error as? any LocalizedError)?.errorDescription == description)
    }

    @Test("API errors name the Swift argument, not the MMEngine or CLI spelling")
    func apiArgumentNames() {
        #expect(throws: VisDrawError.invalidArgument(
            argument: "horizontalAlignment", expected: "one of left, center, right", actual: "\"middle\"")) {
            try HorizontalTextAlignment(parsing: "middle")
        }
        #expect(throws: VisDrawError.invalidArgument(
            argument: "verticalAlignment", expected: "one of top, center, bottom, baseline, center_baseline",
            actual: "\"middle\"")) {
            try VerticalTextAlignment(parsing: "middle")
        }
    }

    @Test("an error thrown through `any Error` keeps its message")
    func thrownThroughAnyError() {
        do {
            _ = try Visualizer(name: "error-description-test", rank: 0).getImage()
            Issue.record("getImage without an image must throw")
        } catch {
            #expect(error.localizedDescription == String(describing: error))
            #expect(error.localizedDescription.contains("error-description-test"))
        }
    }
}
