// swift-tools-version:6.1
import PackageDescription

// Modules follow DESIGN.md; dependencies point down this list only:
// Core → Data → Execution → Ledger → Engine → Store → Calibration → Reports → CLI (the command tree) → tapebench (main and `serve`);
// Server (`tapebench serve`) on Reports, used by the tapebench executable only, so that a package adding agent kinds
// through the TapebenchCLI library does not build Hummingbird and swift-nio;
// Live (Polygon client, recorder) on Data, Paper (paper mode) on Live, Engine and Store, both used by the CLI.
// Execution and Ledger are independent of each other (both on Core); Engine joins them (RiskContext(account:ticker:)).
let package = Package(
    name: "Tapebench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tapebench", targets: ["tapebench"]),
        // For a package's own agents: the agent protocol and registry, and the values they speak in.
        .library(name: "TapebenchEngine", targets: ["TapebenchEngine", "TapebenchCore", "TapebenchLedger"]),
        .library(name: "TapebenchCLI", targets: ["TapebenchCLI"]),
        // For the benchmarks package (benchmarks/), which reads, replays and writes reports in process.
        .library(name: "TapebenchData", targets: ["TapebenchData"]),
        .library(name: "TapebenchReports", targets: ["TapebenchReports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        // `tapebench serve` only (TapebenchServer, for the tapebench executable); no library product brings it.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CArchive",
            path: "Sources/CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // ISA-L's inflate for plain .gz day files: 2 to 3 times zlib's speed, in bounded memory.
        .systemLibrary(
            name: "CIsal",
            path: "Sources/CIsal",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]
        ),
        .target(name: "TapebenchCore"),
        // posix_spawn with the GNU file actions Swift's Glibc module does not import (process agents).
        .target(name: "CAgentSpawn", path: "Sources/CAgentSpawn"),
        // SQLite's sorter memory, set when the program loads (sqlite3_config is variadic: Swift does not import it).
        .target(name: "CSQLiteSorter", path: "Sources/CSQLiteSorter", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "TapebenchData", dependencies: ["TapebenchCore", "CArchive", "CIsal"]),
        .target(name: "TapebenchExecution", dependencies: ["TapebenchCore"]),
        .target(name: "TapebenchLedger", dependencies: ["TapebenchCore"]),
        .target(
            name: "TapebenchEngine",
            dependencies: [
                "TapebenchCore", "TapebenchData", "TapebenchExecution", "TapebenchLedger", "CAgentSpawn",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "TapebenchStore",
            dependencies: ["TapebenchCore", "TapebenchLedger", "TapebenchEngine", "CSQLiteSorter", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Fitting slippage models to a user's own fills (`tapebench calibrate`); Engine only to replay the fitted model.
        .target(name: "TapebenchCalibration", dependencies: ["TapebenchCore", "TapebenchData", "TapebenchExecution", "TapebenchEngine"]),
        .target(name: "TapebenchReports", dependencies: ["TapebenchCore", "TapebenchData", "TapebenchExecution", "TapebenchLedger", "TapebenchEngine", "TapebenchStore", "TapebenchCalibration"]),
        // `tapebench serve`: the seed's HTTP API and the dashboard over a run's or paper mode's database.
        .target(
            name: "TapebenchServer",
            dependencies: [
                "TapebenchCore", "TapebenchData", "TapebenchEngine", "TapebenchStore", "TapebenchReports",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command tree, as a library: a package with its own agent kinds calls Tapebench.main(agents:). Every command
        // but `serve`, which the tapebench executable adds (Tapebench.main(agents:commands:)).
        .target(
            name: "TapebenchCLI",
            dependencies: [
                "TapebenchCore", "TapebenchData", "TapebenchEngine", "TapebenchStore", "TapebenchReports", "TapebenchCalibration",
                "TapebenchLive", "TapebenchPaper",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libcurl, loaded when the recorder makes its first client rather than linked: linked (as FoundationNetworking's
        // URLSession did), its 26 libraries were bound at every start of every command.
        .target(name: "CCurlGet", path: "Sources/CCurlGet", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // The live side (issue 17): Polygon REST client and recorder (libcurl through CCurlGet: no package to build),
        // and paper mode (the lanes on the wall clock, committed minute by minute to SQLite).
        .target(name: "TapebenchLive", dependencies: ["TapebenchCore", "TapebenchData", "CCurlGet"]),
        .target(name: "TapebenchPaper", dependencies: ["TapebenchCore", "TapebenchData", "TapebenchExecution", "TapebenchLedger", "TapebenchEngine", "TapebenchStore", "TapebenchLive", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "tapebench",
            dependencies: ["TapebenchCLI", "TapebenchServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Shared by test targets: pinned Python environments for differential tests (.ci/python-env).
        .target(name: "TapebenchTestSupport", path: "Tests/Support"),
        .testTarget(name: "TapebenchCoreTests", dependencies: ["TapebenchCore"]),
        .testTarget(name: "TapebenchDataTests", dependencies: ["TapebenchCore", "TapebenchData", "CArchive", "TapebenchTestSupport"]),
        .testTarget(name: "TapebenchExecutionTests", dependencies: ["TapebenchCore", "TapebenchExecution", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "TapebenchLedgerTests",
            dependencies: ["TapebenchCore", "TapebenchExecution", "TapebenchLedger", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "TapebenchEngineTests", dependencies: ["TapebenchCore", "TapebenchData", "TapebenchExecution", "TapebenchEngine"]),
        .testTarget(name: "TapebenchStoreTests", dependencies: ["TapebenchTestSupport", "TapebenchCore", "TapebenchEngine", "TapebenchStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TapebenchCalibrationTests", dependencies: ["TapebenchTestSupport", "TapebenchCore", "TapebenchData", "TapebenchExecution", "TapebenchEngine", "TapebenchCalibration", "TapebenchReports"]),
        .testTarget(name: "TapebenchReportsTests", dependencies: ["TapebenchTestSupport", "TapebenchCore", "TapebenchEngine", "TapebenchLedger", "TapebenchReports", "TapebenchStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TapebenchLiveTests", dependencies: ["TapebenchCore", "TapebenchData", "TapebenchLive", "TapebenchTestSupport"]),
        .testTarget(name: "TapebenchPaperTests", dependencies: ["TapebenchCore", "TapebenchData", "TapebenchEngine", "TapebenchLive", "TapebenchPaper", "TapebenchTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "TapebenchServerTests",
            dependencies: ["TapebenchCore", "TapebenchEngine", "TapebenchStore", "TapebenchServer", "TapebenchTestSupport", "tapebench",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "TapebenchCLITests", dependencies: ["TapebenchTestSupport", "TapebenchCLI", "TapebenchCore", "TapebenchEngine"]),
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["TapebenchCore", "TapebenchData", "TapebenchEngine", "TapebenchReports", "TapebenchStore", "tapebench", "TapebenchTestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PropertyBased", package: "swift-property-based"),
                           .product(name: "Yams", package: "Yams")]
        ),
    ]
)
