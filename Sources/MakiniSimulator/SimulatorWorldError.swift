/// Errors of the in-process world API (tests and control endpoints).
public enum SimulatorWorldError: Error, Equatable, CustomStringConvertible {
    /// No connection with this id; the message lists the known ones.
    case unknownConnection(String, known: [String])
    /// The connection's platform does not offer this entity.
    case unknownEntity(connection: String, entity: String, offered: [String])
    /// A configuration value is unusable.
    case invalidConfiguration(String)

    /// A message saying what to fix.
    public var description: String {
        switch self {
        case .unknownConnection(let id, let known):
            return "unknown connection '\(id)'; known connections: \(known.joined(separator: ", "))"
        case .unknownEntity(let connection, let entity, let offered):
            return "connection '\(connection)' does not offer entity '\(entity)'; it offers: \(offered.joined(separator: ", "))"
        case .invalidConfiguration(let reason):
            return "invalid simulator configuration: \(reason)"
        }
    }
}
