import MakiniAPI
import Yams

/// One connection id denotes one Makini connection across every job file: the same id with different credentials
/// (another token variable or file, another OAuth client) would write two customer systems' rows under one id, so it
/// is refused, naming both files and lines. Pure: decoded jobs in, problems out.
enum ConnectionIdentityAudit {
    /// One decoded job file.
    struct Entry {
        var path: String
        var job: JobSpec
        /// Where each connection id was set.
        var marks: [String: Mark]
    }

    /// The problems of each entry (by index): a connection id whose credentials differ from those of an earlier file
    /// (the first file to use an id owns it).
    static func problems(_ entries: [Entry]) -> [Int: [JobFileError]] {
        var owners: [String: (path: String, mark: Mark?, credentials: CredentialSource)] = [:]
        var problems: [Int: [JobFileError]] = [:]
        for (index, entry) in entries.enumerated() {
            for connection in entry.job.connections {
                let mark = entry.marks[connection.id]
                guard let owner = owners[connection.id] else {
                    owners[connection.id] = (entry.path, mark, connection.credentials)
                    continue
                }
                guard owner.credentials != connection.credentials else { continue }
                let ownerPlace = owner.path + (owner.mark.map { ":\($0.line):\($0.column)" } ?? "")
                problems[index, default: []].append(JobFileError(
                    path: entry.path, line: mark?.line ?? 0, column: mark?.column ?? 0,
                    message: "connection id \(QuotedText.quoted(connection.id)) is also defined in \(ownerPlace) with other credentials "
                        + "(\(describe(owner.credentials)) there, \(describe(connection.credentials)) here); one connection id must "
                        + "denote one Makini connection in every job file: give the other system its own id, or use the same credentials"))
            }
        }
        return problems
    }

    /// Where a credential comes from, for messages: names of variables and paths, never a secret.
    static func describe(_ credentials: CredentialSource) -> String {
        switch credentials {
        case .token(let source): "token from \(source.sourceDescription)"
        case .oauthRefresh(let clientId, _, let file): "oauth with client id from \(clientId.sourceDescription), refresh token file \(file)"
        case .clientCredentials(let clientId, _): "client_credentials with client id from \(clientId.sourceDescription)"
        case .minted(let key, _): "a token minted for Makini connection \(QuotedText.quoted(key))"
        }
    }
}
