/// The client's decoding of a list page body, without HTTP: for property tests, fuzzers and tools.
public enum ListPageDecoding {
    /// Decodes `body` as the answer to `request` exactly as `ConnectionClient.fetchPage` does: valid records,
    /// records refused one by one with a reason, and paging meta; a structurally broken body is a classified
    /// `MakiniError` (MALFORMED_JSON transient, UNEXPECTED_BODY per the classifier). `legacyFieldNames`: the body is a
    /// legacy `/api/eam` answer, whose `createdAt`/`updatedAt`/`deletedAt` become the v4 names.
    public static func decode(
        _ body: [UInt8], request: PageRequest, updatedAtField: String = "_updatedAt", legacyFieldNames: Bool = false,
        classifier: ErrorClassifier = ErrorClassifier()
    ) -> Result<FetchedPage, MakiniError> {
        do throws(PageDecodingFailure) {
            let decoder = PageDecoder(updatedAtField: updatedAtField, legacyFieldNames: legacyFieldNames)
            return .success(try decoder.decode(body, request: request, requestId: nil))
        } catch {
            return .failure(ConnectionClient.makeError(from: error, requestId: nil, status: 200, classifier: classifier))
        }
    }
}
