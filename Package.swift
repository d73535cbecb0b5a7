// swift-tools-version:6.0
import PackageDescription

// The compute core needs a target CPU: without one, Swift lowers SIMD FMAs to
// a call to `fmaf` per lane. `native` exists on x86-64 and arm64; elsewhere
// the build stays portable.
// It is optimised in debug builds too, as one whole module: unoptimised, or
// optimised file by file (generic kernels then call FloatVector's methods
// through witness tables), lesson 9's seeded experiment takes minutes instead
// of seconds, and `swift test` with it. `-num-threads` keeps one object file
// per source file, which SwiftPM's debug build expects.
#if arch(x86_64) || arch(arm64)
let computeFlags: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native", "-Xcc", "-march=native"]),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
    .unsafeFlags(["-O", "-whole-module-optimization", "-num-threads", "2"], .when(configuration: .debug)),
]
#else
let computeFlags: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
#endif

let package = Package(
    name: "cnn-tutor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cnn-tutor", targets: ["cnn-tutor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "CNNModel"),
        .target(name: "CNNCompute", dependencies: ["CNNModel"], swiftSettings: computeFlags),
        // The flatten-or-pool race: its datasets, runner and report, above the core.
        .target(name: "Race", dependencies: ["CNNModel", "CNNCompute"], swiftSettings: computeFlags),
        .target(name: "LessonKit", dependencies: ["CNNModel", "CNNCompute", "Race", "LessonFiles", .product(name: "Yams", package: "Yams")]),
        // Lessons/ built into the binary, so that it works from any folder;
        // as a target, the folder's files reach the plugin whenever they change.
        .target(name: "LessonFiles", path: "Lessons", exclude: ["README.md"], plugins: ["EmbedLessons"]),
        .executableTarget(name: "embed-lessons"),
        .plugin(name: "EmbedLessons", capability: .buildTool(), dependencies: ["embed-lessons"]),
        .target(name: "TutorUI", dependencies: ["CNNModel", "CNNCompute", "Race", "LessonKit"]),
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(name: "TerminalBackend", dependencies: ["TutorUI", "CNcurses"]),
        .executableTarget(
            name: "cnn-tutor",
            dependencies: [
                "CNNModel", "CNNCompute", "Race", "LessonKit", "TutorUI", "TerminalBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CNNModelTests", dependencies: ["CNNModel"]),
        .testTarget(name: "CNNComputeTests", dependencies: ["CNNCompute"]),
        .testTarget(name: "RaceTests", dependencies: ["Race"]),
        .testTarget(name: "LessonKitTests", dependencies: ["LessonKit"]),
        .testTarget(name: "TutorUITests", dependencies: ["TutorUI", "LessonKit"], exclude: ["__Snapshots__"]),
        .testTarget(name: "TerminalBackendTests", dependencies: ["TerminalBackend"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LessonKit"]),
    ],
    swiftLanguageModes: [.v6]
)
