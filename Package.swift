// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Ventana",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ventana", targets: ["ventana"]),
        .library(name: "VentanaCore", targets: ["VentanaCore"]),
        .library(name: "WhatsAppCloud", targets: ["WhatsAppCloud"]),
        .library(name: "VentanaServer", targets: ["VentanaServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The rules: session window, states, templates, markets, pricing. Foundation only.
        .target(
            name: "VentanaCore",
            resources: [.copy("Resources/rate-card-usd-2026-07-01.csv")]
        ),
        // Meta's edge: wire types, signatures, the Graph API client. Nothing of Ventana's.
        .target(
            name: "WhatsAppCloud",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The application: configuration, storage, routes.
        .target(
            name: "VentanaServer",
            dependencies: [
                "VentanaCore",
                "WhatsAppCloud",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),
        // A fake of Meta's Graph API, for tests and local runs.
        .target(
            name: "GraphFake",
            dependencies: [
                "WhatsAppCloud",
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .executableTarget(
            name: "ventana",
            dependencies: [
                "VentanaServer",
                "GraphFake",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "VentanaCoreTests",
            dependencies: [
                "VentanaCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "WhatsAppCloudTests",
            dependencies: ["WhatsAppCloud"]
        ),
        .testTarget(
            name: "VentanaServerTests",
            dependencies: [
                "VentanaServer",
                "GraphFake",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
