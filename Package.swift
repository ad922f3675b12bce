// swift-tools-version: 6.2
import PackageDescription

let services = ["Intake", "Classification", "Loyalty", "Complaints", "Notifications"]

/// Libraries a service imports itself, beyond the shared targets every service gets.
let serviceLibraries: [String: [Target.Dependency]] = [
    "Intake": [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "NIOCore", package: "swift-nio"),
    ],
]

let package = Package(
    name: "Rapport",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: "rapport-\($0.lowercased())", targets: [$0]) } + [
        .executable(name: "rapport-bench", targets: ["RapportBench"]),
        .executable(name: "loyalty-bench", targets: ["LoyaltyBench"]),
        .executable(name: "complaints-bench", targets: ["ComplaintsBench"]),
        .executable(name: "json-bench", targets: ["JSONBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CHiredis",
            path: "Shared/CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        // libcurl speaks SMTP with STARTTLS for the notifications e-mail channel.
        .systemLibrary(
            name: "CCurl",
            path: "Shared/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "Model", path: "Shared/Model"),
        .target(
            name: "Streams",
            dependencies: [
                "CHiredis",
                "Model",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Streams"
        ),
        .target(
            name: "ServiceSupport",
            dependencies: [
                "Model",
                "Streams",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Shared/ServiceSupport"
        ),
    ]
    + services.filter { $0 != "Notifications" }.map { name in
        .executableTarget(
            name: name,
            dependencies: ["Model", "Streams", "ServiceSupport"] + serviceLibraries[name, default: []],
            path: "Services/\(name)",
            exclude: ["openapi.yaml"]
        )
    }
    + [
        .executableTarget(
            name: "Notifications",
            dependencies: [
                "Model", "Streams", "ServiceSupport", "CCurl",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/Notifications",
            exclude: ["openapi.yaml"],
            resources: [.copy("Templates")]
        ),
    ]
    + [
        .executableTarget(
            name: "RapportBench",
            dependencies: ["Model", "Streams", "ServiceSupport"],
            path: "Benchmarks/RapportBench"
        ),
        .executableTarget(name: "LoyaltyBench", dependencies: ["Model", "Streams"], path: "Benchmarks/LoyaltyBench"),
        .executableTarget(name: "JSONBench", dependencies: ["Model"], path: "Benchmarks/JSONBench"),
        .executableTarget(
            name: "ComplaintsBench",
            dependencies: ["Model", "Streams", "ServiceSupport"],
            path: "Benchmarks/ComplaintsBench"
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Streams", "Model"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "ModelTests",
            dependencies: ["Model", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "StreamsTests", dependencies: ["Streams", "Model", "TestSupport"]),
        .testTarget(name: "DeploymentTests"),
        .testTarget(name: "ComplaintsTests", dependencies: ["Complaints", "ServiceSupport", "Streams", "Model", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Model", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification", "ServiceSupport", "Streams", "Model", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "LoyaltyTests", dependencies: ["Loyalty", "ServiceSupport", "Streams", "Model", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "NotificationsTests", dependencies: ["Notifications", "ServiceSupport", "Streams", "Model", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "PropertyBased", package: "swift-property-based")], exclude: ["smtp_sink.py", "flaky_receiver.py", "webhook_receiver.py"]),
        .testTarget(
            name: "ServiceSupportTests",
            dependencies: [
                "ServiceSupport", "Streams", "Model", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "IntakeTests", dependencies: ["Intake", "ServiceSupport", "Streams", "Model", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "Prometheus", package: "swift-prometheus")], resources: [.copy("Fixtures")]),
    ]
)
