import SyncEngine
import JobFiles

/// Which jobs a reload keeps: every valid file as it is now, and for each broken file the job it defined before
/// (one broken file never unloads the others, nor its own last good version).
enum JobSetReload {
    static func merge(previous: [JobSpec], loaded: [JobSpec], broken: [JobFileErrors]) -> [JobSpec] {
        let brokenPaths = Set(broken.compactMap { $0.errors.first?.path })
        let loadedNames = Set(loaded.map(\.name))
        let kept = previous.filter { brokenPaths.contains($0.sourcePath) && !loadedNames.contains($0.name) }
        return (loaded + kept).sorted { $0.sourcePath < $1.sourcePath }
    }
}
