import Testing
@testable import JobFiles

/// The errors loading `yaml` as the job file `path` gives, as printed; records an issue when it loads.
func jobFileErrors(_ yaml: String, path: String) -> [String] {
    do {
        let job = try JobFileLoader.load(yaml: yaml, path: path)
        Issue.record("expected errors, loaded \(job.name)")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}
