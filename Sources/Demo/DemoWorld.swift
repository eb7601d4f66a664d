import Foundation
import MakiniSimulator
import SyncEngine
import JobFiles

/// The demo's simulated Makini: a JD Edwards World plant and an iOffice workplace, with a little rate limiting and a
/// few transient faults so retries show, and the example jobs pointed at it.
public enum DemoWorld {
    /// The simulated world of the demo.
    public static func configuration(seed: UInt64, workOrders: Int, assets: Int) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: workOrders, assets: assets)
        for index in configuration.connections.indices {
            var faults = FaultSettings()
            faults.statusRates = ["429": 0.03, "503": 0.02]
            faults.retryAfterSeconds = 1
            faults.scheduled = [3: 503, 5: 429]
            configuration.connections[index].faults = faults
        }
        return configuration
    }

    /// The example jobs (jobs/ of the checkout or the current directory), or built-in equivalents when absent.
    public static func jobs(directory: String?) throws -> [JobSpec] {
        let candidates = [directory, "jobs", checkoutJobs].compactMap { $0 }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/jde-plant-a.yaml") {
            return try JobFileLoader.loadDirectory(candidate).filter { ["jde-plant-a", "ioffice-hq"].contains($0.name) }
        }
        return [
            try JobFileLoader.load(yaml: builtInJDE, path: "(built-in jde-plant-a.yaml)"),
            try JobFileLoader.load(yaml: builtInIOffice, path: "(built-in ioffice-hq.yaml)"),
        ]
    }

    /// The job with a stream for every entity of the EAM model (`KnownEntities`) that it does not sync yet, each with
    /// the defaults: the demo shows the whole model for both connections.
    public static func wholeModel(_ job: JobSpec) -> JobSpec {
        var whole = job
        let present = Set(job.streams.map(\.entity))
        whole.streams += KnownEntities.all.filter { !present.contains($0) }.map { StreamSpec(entity: $0) }
        return whole
    }

    /// The environment variables the example jobs read their tokens from, set to the simulator's fake tokens.
    public static let tokenVariables = ["MAKINI_TOKEN_JDE_PLANT_A": "jde-plant-a", "MAKINI_TOKEN_IOFFICE_HQ": "ioffice-hq"]

    private static var checkoutJobs: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("jobs").path
    }

    private static let builtInJDE = """
        name: jde-plant-a
        connections:
          - id: jde-plant-a
            platform: jde-world
            token_env: MAKINI_TOKEN_JDE_PLANT_A
        streams: [assets, work-orders, sites, locations]
        """

    private static let builtInIOffice = """
        name: ioffice-hq
        connections:
          - id: ioffice-hq
            platform: ioffice
            token_env: MAKINI_TOKEN_IOFFICE_HQ
        streams:
          - work-orders
          - {entity: sites, mode: full_refresh}
          - {entity: locations, mode: full_refresh}
        """
}
