import Logging
import Warehouse

/// The metadata of a stream's one "stream finished" log line: its status and counts as JSON numbers.
enum StreamOutcomeLog {
    static func metadata(_ record: StreamRunRecord) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "status": "\(record.status)", "records": .stringConvertible(record.recordsRead),
            "inserted": .stringConvertible(record.counts.inserted), "updated": .stringConvertible(record.counts.updated),
            "unchanged": .stringConvertible(record.counts.unchanged), "deleted": .stringConvertible(record.deleted),
            "rejected": .stringConvertible(record.rejected), "pages": .stringConvertible(record.pages),
            "api_requests": .stringConvertible(record.apiRequests), "retries": .stringConvertible(record.retries),
            "duration_ms": .stringConvertible(record.duration.components.seconds * 1000 + record.duration.components.attoseconds / 1_000_000_000_000_000),
        ]
        if let code = record.lastErrorCode { metadata["code"] = "\(code)" }
        if let requestId = record.lastRequestId { metadata["request_id"] = "\(requestId)" }
        return metadata
    }
}
