/// Organisation, finance and people records: organizations, accounts, teams, labour, users, units, companies,
/// vendors, customers.
extension RecordGenerator {
    func emitOrganization<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        let place = PlatformVocabulary.cities[state.index % PlatformVocabulary.cities.count]
        sink.field("key", string: key)
        sink.field("currencyKey", string: currency(for: place.country))
        sink.field("name", string: stableName(state.index))
        sink.field("code", string: key)
        sink.field("description", string: "Company \(key.trimmingLeadingSpaces())")
        sink.beginObjectField("billingAddress")
        sink.field("country", string: place.country)
        sink.field("city", string: place.city)
        sink.field("postCode", string: place.postCode)
        sink.endObjectField()
    }

    func emitAccount<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 11)
        let activated = state.createdAt - Int64(stable.next() % (900 * 86_400))
        sink.field("key", string: key)
        sink.field("code", string: key)
        sink.field("name", string: stableName(state.index))
        sink.field("description", string: "\(stableName(state.index)) \(key)")
        sink.field("activatedAt", date: activated)
        sink.field("expiresAt", date: stable.next() % 5 == 0 ? activated + 3 * 365 * 86_400 : nil)
    }

    func emitTeam<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 12)
        sink.field("key", string: key)
        sink.field("accountKey", string: reference(.accounts, stable.next()))
        sink.field("code", string: key)
        sink.field("name", string: "\(stableName(state.index)) \(state.index + 1)")
        sink.field("description", string: nil)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
    }

    func emitLabor<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 13)
        var current = versionRandom(state.index, version: state.version)
        let first = PlatformVocabulary.firstNames[Int(stable.next() % UInt64(PlatformVocabulary.firstNames.count))]
        let last = PlatformVocabulary.lastNames[Int(stable.next() % UInt64(PlatformVocabulary.lastNames.count))]
        let contractor = stable.next() % 6 == 0
        sink.field("key", string: key)
        sink.field("organizationKeys", string: existingKey(.organizations, 0))
        sink.beginArrayField("siteKeys")
        if let site = reference(.sites, stable.next()) { sink.element(string: site) }
        sink.endArrayField()
        sink.field("accountKey", string: existingKey(.accounts, 0))
        sink.field("vendorKey", string: contractor ? reference(.vendors, stable.next()) : nil)
        sink.field("userKey", string: contractor ? nil : existingKey(.users, state.index))
        sink.field("code", string: key)
        sink.field("teamKey", string: reference(.teams, stable.next()))
        sink.field("name", string: "\(first) \(last)")
        sink.field("firstName", string: first)
        sink.field("middleName", string: nil)
        sink.field("lastName", string: last)
        sink.field("roleName", string: PlatformVocabulary.roles[Int(stable.next() % UInt64(PlatformVocabulary.roles.count))])
        sink.field("description", string: contractor ? "Contractor" : "Employee")
        sink.field("notes", string: nil)
        sink.field("isActive", bool: current.next() % 20 != 0)
        sink.field("costUomKey", string: existingKey(.uom, PlatformVocabulary.hourUnit))
        sink.field("currencyKey", string: platform == .jdeWorld ? "EUR" : "USD")
    }

    func emitUser<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 14)
        var current = versionRandom(state.index, version: state.version)
        let first = PlatformVocabulary.firstNames[Int(stable.next() % UInt64(PlatformVocabulary.firstNames.count))]
        let last = PlatformVocabulary.lastNames[Int(stable.next() % UInt64(PlatformVocabulary.lastNames.count))]
        sink.field("key", string: key)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.beginArrayField("siteKeys")
        if let site = reference(.sites, stable.next()) { sink.element(string: site) }
        sink.endArrayField()
        sink.field("name", string: "\(first) \(last)")
        sink.field("roleName", string: ["Planner", "Supervisor", "Technician", "Requester"][Int(stable.next() % 4)])
        sink.field("description", string: nil)
        sink.field("notes", string: nil)
        sink.field("isActive", string: current.next() % 15 == 0 ? "false" : "true")
    }

    func emitUnit<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        let units = PlatformVocabulary.units
        let name = state.index < units.count ? units[state.index].name : "Unit \(state.index)"
        sink.field("key", string: key)
        sink.field("name", string: name)
        sink.field("code", string: key)
        sink.field("rateBaseKey", string: nil)
        sink.field("rate", string: "1")
        sink.field("isActive", bool: true)
    }

    func emitCompany<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 15)
        let place = PlatformVocabulary.cities[Int(stable.next() % UInt64(PlatformVocabulary.cities.count))]
        sink.field("key", string: key)
        sink.field("parentKey", string: state.index > 0 && stable.next() % 8 == 0 ? sourceKey(.companies, 0) : nil)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.field("name", string: stableName(state.index))
        sink.field("code", string: key)
        sink.field("currencyKey", string: currency(for: place.country))
        sink.field("notes", string: nil)
    }

    func emitVendor<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        sink.field("key", string: key)
        sink.field("name", string: stableName(state.index))
        sink.field("code", string: key)
        sink.field("companyKey", string: existingKey(.companies, state.index))
        sink.field("organizationKey", string: existingKey(.organizations, 0))
    }

    func emitCustomer<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        let place = PlatformVocabulary.cities[state.index % PlatformVocabulary.cities.count]
        sink.field("key", string: key)
        sink.field("name", string: stableName(state.index))
        sink.field("code", string: key)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.field("addresses", string: "\(place.postCode) \(place.city), \(place.country)")
        sink.field("billingAddress", string: "\(place.postCode) \(place.city), \(place.country)")
        sink.field("companyKey", string: existingKey(.companies, count(.companies) - 1 - state.index))
    }

    /// The currency of a country code.
    func currency(for country: String) -> String {
        switch country {
        case "US": return "USD"
        case "MX": return "MXN"
        case "CN": return "CNY"
        case "SE": return "SEK"
        default: return "EUR"
        }
    }
}
