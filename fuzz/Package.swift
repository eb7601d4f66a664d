// swift-tools-version:6.0
// libFuzzer targets for makini-sync, kept out of the main package so its `swift build`/`swift test` stay clean.
// Build and run with `bench/fuzz` (swift build -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library).
import Foundation
import PackageDescription

// A local dependency's identity is its directory name (main checkout or a worktree), so derive it.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "makini-sync-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "FuzzPageDecoder",
            dependencies: [
                "FuzzSupport",
                .product(name: "MakiniAPI", package: mainPackage),
                .product(name: "SyncEngine", package: mainPackage),
                .product(name: "MakiniRecords", package: mainPackage),
            ]
        ),
        .executableTarget(
            name: "FuzzJobFile",
            dependencies: ["FuzzSupport", .product(name: "SyncEngine", package: mainPackage)]
        ),
    ],
    swiftLanguageModes: [.v6]
)
