// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Unsafe flags make SwiftPM refuse the package as a versioned dependency, so the one we use (optimising
/// VisEmbedding in debug builds, for its tests) is added only when our own test script asks for it.
let optimizeNumericsInDebug = ProcessInfo.processInfo.environment["VIS_OPTIMIZE_NUMERICS_IN_DEBUG"] == "1"

/// swift-visualization: MMEngine's Visualizer and storage backends, in Swift.
///
/// Modules are layered by dependency weight so that a user who only logs scalars never compiles a rasterizer:
/// `VisCore` (images, colours, arrays, codecs) → `VisDraw` (rasterizer, text) and `VisBackends` (storage)
/// → `Visualization` (the umbrella).
let package = Package(
    name: "swift-visualization",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Visualization", targets: ["Visualization"]),
        .library(name: "VisCore", targets: ["VisCore"]),
        .library(name: "VisDraw", targets: ["VisDraw"]),
        .library(name: "VisBackends", targets: ["VisBackends"]),
        .library(name: "VisPlot", targets: ["VisPlot"]),
        .library(name: "VisTools", targets: ["VisTools"]),
        .library(name: "VisEmbedding", targets: ["VisEmbedding"]),
        .executable(name: "vis", targets: ["vis"]),
        .executable(name: "vis-bench", targets: ["vis-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // System libraries: present on a fresh machine of ours; providers tell other machines how to get them.
        .systemLibrary(
            name: "CLibPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(
            name: "CLibJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // Its SIMD checksums (CRC-32, Adler-32) serve the fast PNG encoder.
        .systemLibrary(
            name: "CLibDeflate", pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]),
        .systemLibrary(
            name: "CFreeType", pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"]), .brew(["freetype"])]),
        .systemLibrary(
            name: "CFontconfig", pkgConfig: "fontconfig",
            providers: [.apt(["libfontconfig-dev"]), .brew(["fontconfig"])]),

        // C shims that catch libpng/libjpeg longjmp errors so Swift never sees one, and the fast PNG encoder.
        .target(name: "CVisCodecs", dependencies: ["CLibPNG", "CLibJPEG", "CZlib", "CLibDeflate"]),
        // Row kernels of the feature-map heatmap with hardware FMA and 8-lane vectors, chosen at run time (AVX2+FMA
        // on x86-64, NEON on AArch64); Swift has no per-function target features. Twins in VisCore are the reference.
        .target(name: "CVisKernels"),

        .target(
            name: "VisCore",
            dependencies: ["CVisCodecs", "CVisKernels", "CZlib"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(
            name: "VisDraw",
            dependencies: ["VisCore", "CFreeType", "CFontconfig"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // Figures, axes, ticks and legends in matplotlib's style, drawn to PNG (VisDraw) or SVG.
        .target(
            name: "VisPlot",
            dependencies: ["VisCore", "VisDraw"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(
            name: "VisBackends",
            dependencies: [
                "VisCore", "CZlib", "Yams", .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // t-SNE and the other embeddings: numerics only, no drawing. Scripts/test.sh optimises it in debug builds
        // too: its tests fit real data sets against scikit-learn, which unoptimised code takes many minutes to do.
        .target(
            name: "VisEmbedding",
            dependencies: ["VisCore", "CVisKernels"],
            swiftSettings: [.swiftLanguageMode(.v6)]
                + (optimizeNumericsInDebug ? [.unsafeFlags(["-O"], .when(configuration: .debug))] : [])),
        .target(
            name: "Visualization",
            dependencies: ["VisCore", "VisDraw", "VisBackends", .product(name: "Logging", package: "swift-log")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // Run readers for training curves (Local/MMEngine JSON lines, TensorBoard, W&B offline) and their summaries.
        .target(
            name: "VisTools",
            dependencies: [
                "VisCore", "VisBackends", "VisPlot", "CVisKernels",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "vis",
            dependencies: ["Visualization", "VisTools", "VisEmbedding", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "vis-bench",
            dependencies: [
                "Visualization", "VisPlot", "VisTools", "VisEmbedding", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]),

        // A worked example of a user-defined backend (the DocC article CustomBackends walks through it).
        .executableTarget(
            name: "CustomBackendExample", dependencies: ["VisBackends"], path: "Examples/CustomBackend",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // A worked example of a user-defined task visualizer (the DocC article CustomTaskVisualizers walks through it).
        .executableTarget(
            name: "CustomTaskVisualizerExample", dependencies: ["Visualization"], path: "Examples/CustomTaskVisualizer",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // A child process for the crash test: logs in a loop until it is killed with SIGKILL.
        .executableTarget(
            name: "vis-crashtest", dependencies: ["VisBackends"], path: "Tests/CrashTestHelper",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // A child process for the `vis tb` tests: logs TensorBoard scalars in a loop, flushing, until killed or done.
        .executableTarget(
            name: "vis-tb-writeloop", dependencies: ["VisBackends"], path: "Tests/TensorboardWriteLoopHelper",
            swiftSettings: [.swiftLanguageMode(.v6)]),

        // Shared test helpers: temporary directories, the interop Python, golden-image comparison, the test fonts.
        // Golden images are read and written by path in each test target's `Golden` folder (never as resources).
        .target(
            name: "VisTestSupport", dependencies: ["VisCore", "VisBackends"], path: "Tests/VisTestSupport",
            resources: [.copy("Fonts")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "VisCoreTests", dependencies: ["VisCore", "CVisKernels", "VisTestSupport"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "VisDrawTests", dependencies: ["VisDraw", "VisTestSupport"],
            exclude: ["Golden"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "VisPlotTests", dependencies: ["VisPlot", "VisTestSupport"],
            exclude: ["Golden"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "VisBackendsTests", dependencies: ["VisBackends", "VisTestSupport"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "VisToolsTests", dependencies: ["VisTools", "CVisKernels", "VisTestSupport"],
            exclude: ["Golden"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "VisEmbeddingTests", dependencies: ["VisEmbedding", "CVisKernels", "VisTestSupport"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "VisualizationTests",
            dependencies: [
                "Visualization", "VisTestSupport", "vis-crashtest", "CustomBackendExample", "CustomTaskVisualizerExample",
            ],
            exclude: ["FeatmapReferences", "Golden"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // End-to-end tests of the `vis` executable and of interop with Python readers (a venv made by
        // Scripts/test.sh); they depend on the executables so `swift test` builds them first.
        .testTarget(
            name: "VisCLITests", dependencies: ["VisCore", "VisBackends", "vis", "vis-tb-writeloop", "VisTestSupport"],
            exclude: ["Golden"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "InteropTests", dependencies: ["VisCore", "VisBackends", "VisTestSupport"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
