/// How a stream reads its entity.
public enum SyncMode: String, Sendable, Equatable, CaseIterable {
    /// Read what changed since the checkpoint (minus the lookback).
    case incremental
    /// Read everything; rows not seen in a completed scan are marked deleted.
    case fullRefresh = "full_refresh"
}

/// One entity a job syncs for each of its connections (an entry of `streams:`).
public struct StreamSpec: Sendable, Equatable {
    /// `entity`: a unified-model entity such as "work-orders" (see `KnownEntities`).
    public var entity: String
    /// `mode`: incremental (default) or full_refresh.
    public var mode: SyncMode
    /// `page_size`: overrides `api.page_size` for this stream.
    public var pageSize: Int?
    /// `lookback`: how far before the cursor each incremental read starts, in seconds; default 300.
    public var lookbackSeconds: Int
    /// `table`: the target table, overriding `defaultTable`; `^[a-z_][a-z0-9_]{0,62}$`.
    public var table: String?
    /// `allow_unknown_entity`: the entity is not in `KnownEntities` and syncs into the generic table unless `table` names one.
    public var allowUnknownEntity: Bool
    /// `history`: keep every observed version in `makini.<table>_history`; default `HistoryEntities.keepsHistory(entity)`.
    public var history: Bool

    /// The default lookback of an incremental stream, in seconds.
    public static let defaultLookbackSeconds = 300

    /// Creates a stream; arguments default to the job-file defaults.
    public init(
        entity: String, mode: SyncMode = .incremental, pageSize: Int? = nil,
        lookbackSeconds: Int = StreamSpec.defaultLookbackSeconds, table: String? = nil, allowUnknownEntity: Bool = false,
        history: Bool? = nil
    ) {
        self.entity = entity
        self.mode = mode
        self.pageSize = pageSize
        self.lookbackSeconds = lookbackSeconds
        self.table = table
        self.allowUnknownEntity = allowUnknownEntity
        self.history = history ?? HistoryEntities.keepsHistory(entity)
    }

    /// The target table: `table`, else the entity with '-', '/' and '.' turned into '_' ("work-orders" -> "work_orders").
    public var defaultTable: String {
        table ?? StreamSpec.tableName(forEntity: entity)
    }

    /// The table name an entity maps to by default ("statuses/work-orders" -> "statuses_work_orders").
    public static func tableName(forEntity entity: String) -> String {
        String(entity.map { $0 == "-" || $0 == "/" || $0 == "." ? "_" : $0 })
    }
}
