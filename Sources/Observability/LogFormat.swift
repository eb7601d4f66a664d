/// How log lines look: readable text for terminals, or one JSON object per line for journald and shippers.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-23T19:02:37Z info job=plant connection=jde entity=work-orders: message`
    case text
    /// `{"time":"2026-11-23T19:02:37.123Z","level":"info","message":"…","label":"…","job":"plant",…}`
    case json
}
