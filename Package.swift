// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "makini-sync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "makini-sync", targets: ["makini-sync"]),
        .executable(name: "makini-sim", targets: ["makini-sim"]),
        .library(name: "LibPQ", targets: ["LibPQ"]),
        .library(name: "LocalPostgres", targets: ["LocalPostgres"]),
        .library(name: "MakiniAPI", targets: ["MakiniAPI"]),
        .library(name: "Warehouse", targets: ["Warehouse"]),
        .library(name: "SyncEngine", targets: ["SyncEngine"]),
        .library(name: "JobFiles", targets: ["JobFiles"]),
        .library(name: "MakiniSimulator", targets: ["MakiniSimulator"]),
        .library(name: "MakiniRecords", targets: ["MakiniRecords"]),
        .library(name: "Cron", targets: ["Cron"]),
        .library(name: "Outcomes", targets: ["Outcomes"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "Redaction"),
        .target(name: "CivilDates"),
        .target(name: "LibPQ", dependencies: ["CLibPQ", "Redaction", "CivilDates"]),
        .target(name: "LocalPostgres"),
        .target(name: "MakiniRecords", dependencies: ["CivilDates"]),
        .target(name: "Outcomes"),
        .target(name: "Cron", dependencies: ["Outcomes", "CivilDates"]),
        .target(
            name: "Observability",
            dependencies: [
                "Redaction", "MakiniRecords",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MakiniAPI",
            dependencies: [
                "MakiniRecords", "Redaction",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Warehouse",
            dependencies: ["LibPQ", "MakiniRecords", "Redaction", "Outcomes", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "JobFiles",
            dependencies: ["Cron", "MakiniAPI", "Notices", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Notices",
            dependencies: [
                "Redaction",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SyncEngine",
            dependencies: [
                "JobFiles", "MakiniAPI", "Warehouse", "MakiniRecords", "Cron", "Observability", "Outcomes", "Notices",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MakiniSimulator",
            dependencies: [
                "MakiniRecords", "CivilDates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Daemon",
            dependencies: [
                "SyncEngine", "JobFiles", "Observability", "Redaction", "Outcomes", "Warehouse",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Demo",
            dependencies: [
                "SyncEngine", "JobFiles", "Warehouse", "MakiniSimulator", "LocalPostgres", "Observability", "Outcomes", "Daemon",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "makini-sync",
            dependencies: [
                "SyncEngine", "JobFiles", "MakiniAPI", "Warehouse", "LibPQ", "Daemon", "Observability", "Cron", "Demo",
                "Redaction", "Outcomes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "SchemaModel", dependencies: ["Warehouse"]),
        .executableTarget(name: "makini-schema-gen", dependencies: ["SchemaModel"]),
        .executableTarget(
            name: "makini-sim",
            dependencies: [
                "MakiniSimulator",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "PostgresTestSupport", dependencies: ["LocalPostgres", "LibPQ"], path: "Tests/PostgresTestSupport"),
        .target(name: "PrometheusTestSupport", path: "Tests/PrometheusTestSupport"),
        .testTarget(name: "LibPQTests", dependencies: ["LibPQ", "PostgresTestSupport"]),
        .testTarget(
            name: "WarehouseTests",
            dependencies: [
                "Warehouse", "LibPQ", "PostgresTestSupport", "MakiniRecords", "Redaction", "Outcomes",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "MakiniAPITests",
            dependencies: [
                "MakiniAPI", "MakiniSimulator", "MakiniRecords", "Redaction",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MakiniSimulatorTests",
            dependencies: [
                "MakiniSimulator", "MakiniRecords", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "MakiniRecordsTests", dependencies: ["MakiniRecords"]),
        .testTarget(name: "CronTests", dependencies: ["Cron", "Outcomes"]),
        .testTarget(name: "CivilDatesTests", dependencies: ["CivilDates"]),
        .testTarget(name: "OutcomesTests", dependencies: ["Outcomes"]),
        .testTarget(name: "SchemaModelTests", dependencies: ["SchemaModel", "Warehouse", "SyncEngine", "JobFiles", "LibPQ", "PostgresTestSupport"]),
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability", "Redaction", "PrometheusTestSupport"]),
        .testTarget(name: "RedactionTests", dependencies: ["Redaction"]),
        .testTarget(name: "NoticesTests", dependencies: ["Notices", "Redaction", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "SyncEngineTests",
            dependencies: ["SyncEngine", "JobFiles", "MakiniAPI", "Warehouse", "LibPQ", "MakiniSimulator", "PostgresTestSupport", "MakiniRecords", "Cron", "Observability", "Demo", "LocalPostgres",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Hummingbird", package: "hummingbird"),
                "Redaction", "PrometheusTestSupport", "Daemon", "Outcomes", "Notices",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "JobFilesTests", dependencies: ["JobFiles", "Cron", "MakiniSimulator", "Notices", .product(name: "Yams", package: "Yams")],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
