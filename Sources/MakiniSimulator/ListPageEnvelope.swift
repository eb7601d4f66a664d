/// The `meta` and `links` parts of a list answer.
enum ListPageEnvelope {
    static func writeMetaAndLinks(query: ListQuery, total: Int, count: Int, pageURL: String, into writer: inout JSONTextWriter) {
        let lastPage = max(1, (total + query.perPage - 1) / query.perPage)
        let from = (query.page - 1) * query.perPage + 1
        writer.key("meta")
        writer.beginObject()
        writer.key("current_page"); writer.int(Int64(query.page))
        writer.key("last_page"); writer.int(Int64(lastPage))
        writer.key("per_page"); writer.int(Int64(query.perPage))
        writer.key("total"); writer.int(Int64(total))
        writer.key("from"); if count > 0 { writer.int(Int64(from)) } else { writer.null() }
        writer.key("to"); if count > 0 { writer.int(Int64(from + count - 1)) } else { writer.null() }
        writer.key("path"); writer.string(pageURL)
        writer.endObject()
        writer.key("links")
        writer.beginObject()
        writer.key("first"); writer.string("\(pageURL)?\(query.queryString(page: 1))")
        writer.key("last"); writer.string("\(pageURL)?\(query.queryString(page: lastPage))")
        writer.key("prev")
        if query.page > 1 { writer.string("\(pageURL)?\(query.queryString(page: min(query.page - 1, lastPage)))") } else { writer.null() }
        writer.key("next")
        if query.page < lastPage { writer.string("\(pageURL)?\(query.queryString(page: query.page + 1))") } else { writer.null() }
        writer.endObject()
    }
}
