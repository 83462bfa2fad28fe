// swift-tools-version:6.1
import PackageDescription

// Benchmarks with ordo-one/benchmark (malloc counts, peak memory, throughput), in a package of their own so
// that the main package, and CI, never build the benchmark framework. Run from this folder:
// `swift package benchmark` (see README.md).
let package = Package(
    name: "TapebenchBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Named, so that the products below do not depend on the folder the repository was cloned into.
        .package(name: "Tapebench", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Tapebench",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TapebenchData", package: "Tapebench"),
                .product(name: "TapebenchEngine", package: "Tapebench"),
                .product(name: "TapebenchReports", package: "Tapebench"),
            ],
            path: "Benchmarks/Tapebench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
