/// Codes of things a stream survived but an operator should see, counted in `sync_stream_runs.warnings_by_code`.
public enum StreamWarning {
    /// Records stamped beyond `now + future_tolerance` (a bad clock at the source); written, but the checkpoint
    /// stays at the horizon. Also counted when a stored checkpoint beyond the horizon is pulled back.
    public static let futureTimestamp = "FUTURE_TIMESTAMP"
    /// A timestamp group that kept changing and could not be read completely within its request budget; the
    /// checkpoint stays before it and a full refresh marks nothing deleted.
    public static let groupIncomplete = "GROUP_INCOMPLETE"
    /// A page too heavy to fetch (larger than `max_page_bytes`, an upstream timeout or 504) was asked for again with
    /// half as many records; the smaller size holds for the rest of the run (`sync_stream_runs.page_size`).
    public static let pageShrunk = "PAGE_SHRUNK"
}
