import Foundation
import MakiniAPI

extension ConnectionClient {
    /// Test support: all pages of one entity from page 1 to the last by page number (the engine never pages by number).
    func pages(entity: String, updatedSince: Date?, perPage: Int) -> AsyncThrowingStream<FetchedPage, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var page = 1
                do {
                    while true {
                        let fetched = try await self.fetchPage(PageRequest(entity: entity, updatedSince: updatedSince, page: page, perPage: perPage))
                        continuation.yield(fetched)
                        if fetched.currentPage >= fetched.lastPage || fetched.records.isEmpty && fetched.rejected.isEmpty { break }
                        page = fetched.currentPage + 1
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
