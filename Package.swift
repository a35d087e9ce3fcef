// swift-tools-version:5.9
// Optima: deep local optima of small ReLU networks, with pruning on annealing schedules.
// No package dependencies: the toolchain, a C kernel target and the system zlib.
import PackageDescription

let package = Package(
    name: "Optima",
    products: [
        .library(name: "Optima", targets: ["Optima"]),
        .executable(name: "optima", targets: ["OptimaCLI"]),
        .executable(name: "optima-bench", targets: ["OptimaBench"]),
    ],
    targets: [
        // Hot loops in C. Each ISA variant is compiled with a per-function target
        // attribute and picked at run time, so no -march flag is needed here.
        .target(
            name: "CKernels",
            path: "CKernels",
            publicHeadersPath: "include"
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Optima", dependencies: ["CKernels", "CZlib"], path: "Sources/Optima"),
        .executableTarget(name: "OptimaCLI", dependencies: ["Optima"], path: "Sources/OptimaCLI"),
        // The peers are Python scripts the benchmarks run, not sources of the target.
        .executableTarget(name: "OptimaBench", dependencies: ["Optima"], path: "Benchmarks", exclude: ["peers"]),
        // Test-only: the AVX-512 configuration of the shared kernel body on portable
        // 16-lane vectors, so its blocking and tails are checked on any machine.
        .target(
            name: "CKernelsEmulated",
            dependencies: ["CKernels"],
            path: "Tests/CKernelsEmulated",
            cSettings: [.headerSearchPath("../../CKernels")]
        ),
        .testTarget(name: "OptimaTests", dependencies: ["Optima", "CKernelsEmulated"], path: "Tests/OptimaTests",
                    resources: [.copy("Fixtures")]),
    ]
)
