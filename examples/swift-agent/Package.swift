// swift-tools-version:6.1
// A package of one's own with a Swift agent kind, reusing Tapebench's whole command line:
//   swift run my-tapebench run opening-range.yaml
import PackageDescription

let package = Package(
    name: "my-tapebench",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Your own package names Tapebench by URL and version; this example uses the repository it lives in.
        .package(name: "Tapebench", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "my-tapebench",
            dependencies: [
                .product(name: "TapebenchCLI", package: "Tapebench"),
                .product(name: "TapebenchEngine", package: "Tapebench"),
            ]
        ),
    ]
)
