import MakiniAPI

/// When a page is too heavy for the road — larger than `max_page_bytes`, or an upstream that times out or answers
/// 504 on it — the stream asks again for half as many records, down to one, instead of failing every time. Pure.
public enum PageShrink {
    /// Whether `error` is one a smaller page can cure.
    public static func cures(_ error: MakiniError) -> Bool {
        error.code == LocalErrorCode.pageTooLarge || error.code == TransportFailure.timeout.code || error.status == 504
    }

    /// The next page size after such a failure at `perPage`, or nil when one record per page failed too.
    public static func smaller(than perPage: Int) -> Int? {
        perPage > 1 ? perPage / 2 : nil
    }
}
