// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// libFuzzer harnesses for every parser of user or on-disk data, one executable per input format.
///
/// A package of their own so that plain `swift build` / `swift test` at the root never builds them: they link only
/// with `-sanitize=fuzzer`, whose runtime supplies `LLVMFuzzerRunDriver`. `Scripts/fuzz.sh` builds and runs them.
/// The root package is a path dependency, whose identity is the name of the folder it is checked out in.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let visualization = root.lastPathComponent.lowercased()

/// One harness: `Fuzz/<folder>/main.swift`, built as the product `fuzz-<name>`.
func harness(_ name: String, folder: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)", dependencies: ["FuzzSupport"] + dependencies, path: folder,
        swiftSettings: [.swiftLanguageMode(.v6)])
}

func library(_ name: String) -> Target.Dependency { .product(name: name, package: visualization) }

let harnesses: [Target] = [
    harness("png", folder: "PNG", [library("VisCore")]),
    harness("jpeg", folder: "JPEG", [library("VisCore")]),
    harness("npy", folder: "NPY", [library("VisCore")]),
    harness("npz", folder: "NPZ", [library("VisCore")]),
    harness("config-json", folder: "ConfigJSON", [library("VisBackends")]),
    harness("config-yaml", folder: "ConfigYAML", [library("VisBackends")]),
    harness("datasample", folder: "DataSample", [library("Visualization")]),
    harness("draw-ops", folder: "DrawOps", [library("Visualization")]),
    harness("tensorboard", folder: "Tensorboard", [library("VisBackends")]),
    harness("wandb", folder: "Wandb", [library("VisBackends")]),
    harness("runlog", folder: "RunLog", [library("VisTools")]),
    harness("font", folder: "Font", [library("VisCore"), library("VisDraw")]),
]

let package = Package(
    name: "swift-visualization-fuzz",
    platforms: [.macOS(.v13)],
    products: harnesses.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [.package(path: "..")],
    targets: harnesses + [
        .target(name: "CFuzzerDriver", path: "Support/CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], path: "Support/FuzzSupport",
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
