import ArgumentParser
import Foundation
import Logging
import MakiniSimulator
import Yams

/// The `makini-sim` command line: serves a simulated Makini API.
@main
struct MakiniSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "makini-sim",
        abstract: "A deterministic, adversarial stand-in for the Makini unified API.",
        subcommands: [Serve.self]
    )
}

/// `makini-sim serve`: starts the simulator and prints its address once it listens.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the simulated API until interrupted.")

    @Option(help: "A JSON (.json) or YAML (.yaml/.yml) configuration file (SimulatorConfiguration); overrides --seed/--work-orders/--assets.")
    var config: String?
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free port).") var port = 8080
    @Option(help: "Seed of the default world.") var seed: UInt64 = 42
    @Option(name: .customLong("work-orders"), help: "Work orders per connection of the default world.") var workOrders = 2_000
    @Option(help: "Assets per connection of the default world.") var assets = 500
    @Flag(help: "Serve the /_sim control endpoints (mutate, faults, snapshot, connections, remove, deactivate, sync-status).") var control = false
    @Option(name: .customLong("admin-token"), help: "The System API's admin token (overrides the configuration's adminToken).") var adminToken: String?
    @Option(name: .customLong("minted-token-ttl"), help: "Lifetime in seconds of tokens minted through the System API (default 300).")
    var mintedTokenTTL: Double?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(name: .customLong("webhook-url"), help: "Send signed webhooks for inserted and updated sites, assets, purchase orders and work orders to this URL.")
    var webhookURL: String?
    @Option(name: .customLong("webhook-secret-env"), help: "Environment variable holding the webhook secret (never printed).")
    var webhookSecretEnv: String?
    @Option(name: .customLong("webhook-secret-file"), help: "File holding the webhook secret (trailing newline ignored; never printed).")
    var webhookSecretFile: String?
    @Option(name: .customLong("webhook-signature-header"), help: "Header carrying the signature.") var webhookHeader = SimulatorWebhookSettings.defaultHeader
    @Option(name: .customLong("webhook-delay-ms"), help: "Milliseconds between a change and its webhook.") var webhookDelayMs = 0
    @Option(name: .customLong("webhook-duplicate-every"), help: "Send every Nth event twice (0: never).") var webhookDuplicateEvery = 0
    @Option(name: .customLong("webhook-bad-signature-every"), help: "Give every Nth delivery a wrong signature (0: never).")
    var webhookBadSignatureEvery = 0

    func run() async throws {
        var logger = Logger(label: "makini-sim")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = try loadConfiguration()
        if let adminToken { configuration.adminToken = adminToken }
        if let mintedTokenTTL { configuration.mintedTokenTTL = mintedTokenTTL }
        let webhook = try webhookSettings()
        let server = try await SimulatorServer.start(configuration, host: host, port: port, controlEndpoints: control, logger: logger)
        server.world.webhooks.configure(webhook)
        FileHandle.standardOutput.write(Data("makini-sim listening on \(server.baseURL)\n".utf8))
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
        for await _ in signals { break }
        sources.forEach { $0.cancel() }
        await server.stop()
    }

    /// The webhook settings of the `--webhook-*` flags, nil without `--webhook-url`.
    private func webhookSettings() throws -> SimulatorWebhookSettings? {
        guard let webhookURL else {
            if webhookSecretEnv != nil || webhookSecretFile != nil { throw ValidationError("--webhook-secret-env/--webhook-secret-file need --webhook-url") }
            return nil
        }
        let secret: String
        switch (webhookSecretEnv, webhookSecretFile) {
        case (let name?, nil):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw ValidationError("--webhook-secret-env \(name): the environment variable is not set or empty")
            }
            secret = value
        case (nil, let path?):
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("--webhook-secret-file \(path): cannot read the file") }
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        default:
            throw ValidationError("--webhook-url needs exactly one of --webhook-secret-env and --webhook-secret-file")
        }
        let settings = SimulatorWebhookSettings(
            url: webhookURL, secret: secret, header: webhookHeader, delayMs: webhookDelayMs, duplicateEvery: webhookDuplicateEvery,
            badSignatureEvery: webhookBadSignatureEvery)
        if let problem = settings.problem { throw ValidationError("--webhook-*: \(problem)") }
        return settings
    }

    private func loadConfiguration() throws -> SimulatorConfiguration {
        guard let config else { return .defaultWorld(seed: seed, workOrders: workOrders, assets: assets) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: config)) } catch {
            throw ValidationError("cannot read --config \(config): \(error.localizedDescription)")
        }
        let isJSON = URL(fileURLWithPath: config).pathExtension.lowercased() == "json"
        do {
            if isJSON {
                return try JSONDecoder().decode(SimulatorConfiguration.self, from: data)
            }
            return try YAMLDecoder().decode(SimulatorConfiguration.self, from: data)
        } catch {
            let format = isJSON ? "JSON" : "YAML"
            throw ValidationError("--config \(config) is not a valid simulator configuration (\(format)): \(error)")
        }
    }
}


