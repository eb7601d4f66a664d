import Foundation
import JobFiles
import Logging
import MakiniAPI
import Notices
import Outcomes
import Warehouse

/// The I/O around `NoticeDecision` at the end of a job run: under the job's notice lock in the warehouse, reads the
/// last notice, decides, sends to the command and the webhook, and records what each did. Every failure here is
/// logged as a warning and nothing more: a notice never changes the run's outcome or exit status.
struct RunNotices {
    let job: JobSpec
    let notify: NotifySpec
    let options: RunOptions
    let logger: Logger

    /// Variables a notice command never inherits: the database's password may be in them.
    static let withheldVariables = ["DATABASE_URL", "PGPASSWORD"]

    /// How a run ended, for notices.
    static func end(status: RunStatus, exit: ExitStatus) -> NoticeDecision.RunEnd {
        if exit == .needsReauthorisation { return .needsReauth }
        switch status {
        case .succeeded: return .succeeded
        case .failed: return .failed
        case .partial: return .partial
        case .running, .skipped, .interrupted, .abandoned, .notDue: return .other
        }
    }

    /// Sends what the run's end calls for, if anything.
    func afterRun(runId: String, status: RunStatus, exit: ExitStatus, results: [StreamResult], startedAt: Date, finishedAt: Date) async {
        let end = Self.end(status: status, exit: exit)
        // Without a possible notice the warehouse is not asked.
        switch end {
        case .other: return
        case .succeeded: guard notify.triggers.contains(.recovered) else { return }
        case .failed: guard notify.triggers.contains(.failed) else { return }
        case .partial: guard notify.triggers.contains(.partial) else { return }
        case .needsReauth: guard notify.triggers.contains(.needsReauth) else { return }
        }
        var logger = logger
        logger[metadataKey: "notice"] = "\(end)"
        let session: WarehouseSession
        do {
            session = try await WarehouseSession.connect(url: options.databaseURL)
        } catch {
            logger.warning("no failure notice: the warehouse, which keeps the notice history, is unreachable: \(error)", metadata: ["code": "NOTICE_FAILED"])
            return
        }
        do {
            try await session.lockNotices(job: job.name)
            let (last, now) = try await session.lastNotice(job: job.name)
            let previous = last.flatMap { record in
                NoticeStatus(rawValue: record.status).map { NoticeDecision.Previous(status: $0, sentAt: record.sentAt, delivered: record.delivered) }
            }
            let decision = NoticeDecision.decide(
                end: end, triggers: notify.triggers, minInterval: notify.minIntervalSeconds, previous: previous, now: now)
            switch decision {
            case .nothing:
                break
            case .skip(let noticeStatus, let reason):
                logger.info("\(noticeStatus.rawValue) notice skipped: \(reason)", metadata: ["code": "NOTICE_SKIPPED"])
                try await session.recordNotice(
                    job: job.name, runId: runId, status: noticeStatus.rawValue, channel: "none", outcome: "skipped", detail: reason)
            case .send(let noticeStatus):
                let notice = Notice(
                    job: job.name, status: noticeStatus, exitCode: exit.rawValue, runId: runId, host: options.host,
                    startedAt: startedAt, finishedAt: finishedAt, streams: results.map(Self.stream))
                for delivery in await deliver(notice) {
                    if delivery.delivered {
                        logger.info("\(noticeStatus.rawValue) notice sent by \(delivery.channel.rawValue): \(delivery.detail)", metadata: ["code": "NOTICE_SENT"])
                    } else {
                        logger.warning(
                            "\(noticeStatus.rawValue) notice by \(delivery.channel.rawValue) failed (the run's outcome stands): \(delivery.detail)",
                            metadata: ["code": "NOTICE_FAILED"])
                    }
                    try await session.recordNotice(
                        job: job.name, runId: runId, status: noticeStatus.rawValue, channel: delivery.channel.rawValue,
                        outcome: delivery.delivered ? "sent" : "failed", detail: delivery.detail)
                }
            }
            try await session.unlockNotices(job: job.name)
        } catch {
            logger.warning("failure notice not recorded: \(error)", metadata: ["code": "NOTICE_FAILED"])
        }
        await session.close()
    }

    /// Sends `notice` to every channel of the job at once.
    private func deliver(_ notice: Notice) async -> [NoticeDelivery] {
        let body = notice.jsonBody
        async let byCommand = sendToCommand(body)
        async let byWebhook = sendToWebhook(body)
        return [await byCommand, await byWebhook].compactMap { $0 }
    }

    private func sendToCommand(_ body: Data) async -> NoticeDelivery? {
        guard let argv = notify.command else { return nil }
        return await NoticeCommand.send(body, argv: argv, timeout: notify.timeoutSeconds, environment: commandEnvironment())
    }

    private func sendToWebhook(_ body: Data) async -> NoticeDelivery? {
        guard let webhook = notify.webhook else { return nil }
        let secret: String
        do {
            secret = try webhook.secret.read()
        } catch {
            return NoticeDelivery(channel: .webhook, delivered: false, detail: "no webhook secret: \(error)")
        }
        return await NoticeWebhook.send(
            body, url: webhook.url, secret: secret, signatureHeader: webhook.signatureHeader, timeout: notify.timeoutSeconds)
    }

    /// The process environment without the job's secret variables and the database's.
    private func commandEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in Self.withheldVariables { environment[name] = nil }
        for name in secretVariableNames { environment[name] = nil }
        return environment
    }

    /// The environment variables the job reads secrets from.
    private var secretVariableNames: [String] {
        var references = job.connections.flatMap { ClientSettings.secretSources($0.credentials) }
        if let webhook = notify.webhook { references.append(webhook.secret) }
        return references.compactMap { reference in
            if case .environment(let name) = reference { return name }
            return nil
        }
    }

    private static func stream(_ result: StreamResult) -> NoticeStream {
        NoticeStream(
            connection: result.plan.key.connectionId, entity: result.plan.key.entity, status: result.record.status.rawValue,
            errorCode: result.succeeded ? nil : result.record.lastErrorCode,
            message: result.succeeded ? nil : result.record.lastErrorMessage)
    }
}
