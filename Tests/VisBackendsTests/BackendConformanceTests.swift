import Foundation
import Testing
import VisBackends
import VisTestSupport

@Suite struct BackendConformanceTests {
    // snippet.begin: conformance
    @Test func localBackendConforms() throws {
        try BackendConformance.check { try LocalVisBackend(saveDir: $0) }
    }
    // snippet.end: conformance

    @Test func inMemoryBackendConforms() throws {
        try BackendConformance.check { InMemoryVisBackend(saveDir: $0) }
    }

    @Test func multiplexBackendConforms() throws {
        try BackendConformance.check { saveDir in
            try MultiplexVisBackend([try LocalVisBackend(saveDir: saveDir), InMemoryVisBackend()])
        }
    }

    @Test func wandbBackendConforms() throws {
        try BackendConformance.check { try WandbVisBackend(saveDir: $0, project: "conformance") }
    }

    @Test func wandbBackendBuildsFromAnMMEngineConfig() throws {
        let directory = try TestSupport.makeTemporaryDirectory()
        let built = try VisBackendRegistry.shared.build(
            ["type": "WandbVisBackend", "init_kwargs": ["project": "demo", "tags": ["a"]], "commit": false],
            defaultSaveDir: directory.path)
        #expect(built.name == "WandbVisBackend")
        let backend = try #require(built.backend as? WandbVisBackend)
        try backend.addScalar(name: "loss", value: 0.5, step: 1)
        backend.close()
        #expect(throws: VisBackendError.self) {
            try VisBackendRegistry.shared.build(["type": "WandbVisBackend", "comit": true], defaultSaveDir: directory.path)
        }
    }

    @Test func theSuiteCatchesRuleBreakers() throws {
        final class EagerBackend: VisBackend, @unchecked Sendable {
            init(saveDir: String) throws {
                try FileManager.default.createDirectory(atPath: saveDir, withIntermediateDirectories: true)
            }
        }
        final class NeverClosingBackend: VisBackend, @unchecked Sendable {}
        #expect(throws: BackendConformance.Failure.self) {
            try BackendConformance.checkLazyOpening { try EagerBackend(saveDir: $0) }
        }
        #expect(throws: BackendConformance.Failure.self) {
            try BackendConformance.checkCloseSemantics { _ in NeverClosingBackend() }
        }
    }
}
