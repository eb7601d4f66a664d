/// Source platforms, each with its own flavour of data and the entities it offers.
enum SimulatedPlatform: String, Sendable {
    case jdeWorld = "jde-world"
    case ioffice
    case maximo

    /// Entities this platform offers; others answer 404 NOT_FOUND.
    var entities: Set<SimulatedEntity> { Set(SimulatedEntity.allCases) }

    /// The `integration_name` shown by `GET /api/system/connections`.
    var integrationName: String {
        switch self {
        case .jdeWorld: return "JD Edwards World"
        case .ioffice: return "iOffice"
        case .maximo: return "IBM Maximo"
        }
    }
}
