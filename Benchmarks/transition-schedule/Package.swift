// swift-tools-version: 6.1
// Memory and speed of the transition schedule with a million pending windows.
//   cd Benchmarks/transition-schedule && swift run -c release
import PackageDescription

let package = Package(
    name: "transition-schedule",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Ventana", path: "../..")],
    targets: [
        .executableTarget(name: "transition-schedule", dependencies: [.product(name: "VentanaCore", package: "Ventana")]),
    ]
)
