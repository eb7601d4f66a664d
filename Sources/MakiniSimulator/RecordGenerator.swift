/// The compact, mutable state of one record; its content derives from (seed, entity, index, version).
struct RecordState {
    var index: Int
    var version: UInt32
    var createdAt: Int64
    var updatedAt: Int64
    var deletedAt: Int64?
}

/// Generates records of one entity of one connection from (seed, index, version), on demand.
struct RecordGenerator: Sendable {
    let platform: SimulatedPlatform
    let entity: SimulatedEntity
    let seed: UInt64
    let salt: UInt64
    /// Base record counts per entity of the connection (for references between entities).
    let baseCounts: [SimulatedEntity: Int]

    init(platform: SimulatedPlatform, entity: SimulatedEntity, seed: UInt64, baseCounts: [SimulatedEntity: Int]) {
        self.platform = platform
        self.entity = entity
        self.seed = seed
        self.salt = SplitMix64.mix(seed ^ SplitMix64.hash(entity.rawValue))
        self.baseCounts = baseCounts
    }

    func count(_ entity: SimulatedEntity) -> Int { baseCounts[entity] ?? 0 }

    // MARK: ids

    /// The sort key of the record's id: ids are prefix + 16 hex digits of this value, so byte order equals numeric order.
    func idKey(_ index: Int) -> UInt64 { SplitMix64.mix(UInt64(index) &+ salt) }

    func id(_ index: Int) -> String { RecordGenerator.idText(prefix: entity.idPrefix, key: idKey(index)) }

    static func idText(prefix: String, key: UInt64) -> String {
        let hex = String(key, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The record index behind an id, or nil when the id cannot belong to this entity.
    func index(ofID id: String) -> Int? {
        guard id.hasPrefix(entity.idPrefix) else { return nil }
        let hex = id.dropFirst(entity.idPrefix.count)
        guard hex.count == 16, let key = UInt64(hex, radix: 16) else { return nil }
        let index = SplitMix64.unmix(key) &- salt
        return index < UInt64(Int.max) ? Int(index) : nil
    }

    // MARK: randomness

    /// Stable per-record randomness (does not change when the record is updated).
    func stableRandom(_ index: Int, stream: UInt64 = 0) -> SplitMix64 {
        SplitMix64(seed: SplitMix64.mix(salt ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) ^ (stream << 56)))
    }

    /// Per-version randomness (changes on every update).
    func versionRandom(_ index: Int, version: UInt32) -> SplitMix64 {
        stableRandom(index, stream: 1 + UInt64(version % 200))
    }

    /// Initial (createdAt, updatedAt) of a base record: second resolution over a short span, so many
    /// records share a timestamp, and a bulk-import second that more records share than a page holds.
    func baseTimes(_ index: Int, count: Int) -> (created: Int64, updated: Int64) {
        var random = stableRandom(index, stream: 99)
        let span = Int64(max(600, count / 3))
        let start = SimulatedTimestamp.epoch + 30 * 86_400
        let updated = random.next() % 100 < 3 ? start + span / 2 : start + Int64(random.next() % UInt64(span))
        let created = updated - Int64(random.next() % (60 * 86_400))
        return entity.isAppendOnly ? (updated, updated) : (created, updated)
    }

    // MARK: references

    /// Index of the location an asset stands in.
    func locationOfAsset(_ asset: Int) -> Int? {
        let locations = count(.locations)
        guard locations > 0 else { return nil }
        return Int(SplitMix64.mix(seed ^ 0xA55E7 ^ UInt64(asset)) % UInt64(locations))
    }

    /// Index of the site a location belongs to.
    func siteOfLocation(_ location: Int) -> Int? {
        let sites = count(.sites)
        guard sites > 0 else { return nil }
        return location % sites
    }

    // MARK: rendering

    /// Emits the whole record: the standard fields of the dialect, then the entity's fields, then custom fields.
    func emit<Sink: RecordFieldSink>(_ state: RecordState, dialect: RecordDialect = .v4, into sink: inout Sink) {
        let key = sourceKey(entity, state.index)
        sink.field("id", string: id(state.index))
        switch dialect {
        case .v4:
            sink.field("_idValue", string: idValue(key: key))
            sink.field("_displayValue", string: displayValue(state.index, key: key))
            sink.field("_createdAt", date: state.createdAt)
            sink.field("_updatedAt", date: state.updatedAt)
            sink.field("_deletedAt", date: state.deletedAt)
            sink.field("_implements", string: entity.implements)
        case .legacy:
            let published = entity.legacyTimeFields
            if published.created { sink.field("createdAt", date: state.createdAt) }
            if published.updated { sink.field("updatedAt", date: state.updatedAt) }
            if published.deleted { sink.field("deletedAt", date: state.deletedAt) }
        }
        emitFields(state, key: key, into: &sink)
    }

    /// The entity's own fields (published names of its schema) and custom `x_` fields.
    func emitFields<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        switch entity {
        case .workOrders: emitWorkOrder(state, key: key, into: &sink)
        case .sites: emitSite(state, key: key, into: &sink)
        case .locations: emitLocation(state, key: key, into: &sink)
        case .assets: emitAsset(state, key: key, into: &sink)
        case .purchaseOrders: emitPurchaseOrder(state, key: key, into: &sink)
        case .materials: emitMaterial(state, key: key, into: &sink)
        case .organizations: emitOrganization(state, key: key, into: &sink)
        case .storerooms: emitStoreroom(state, key: key, into: &sink)
        case .accounts: emitAccount(state, key: key, into: &sink)
        case .teams: emitTeam(state, key: key, into: &sink)
        case .labors: emitLabor(state, key: key, into: &sink)
        case .users: emitUser(state, key: key, into: &sink)
        case .uom: emitUnit(state, key: key, into: &sink)
        case .companies: emitCompany(state, key: key, into: &sink)
        case .vendors: emitVendor(state, key: key, into: &sink)
        case .customers: emitCustomer(state, key: key, into: &sink)
        case .stocks: emitStock(state, key: key, into: &sink)
        case .purchaseOrderLineItems: emitLineItem(state, key: key, into: &sink)
        case .assetDowntime: emitDowntime(state, key: key, into: &sink)
        case .assetTemplates: emitAssetTemplate(state, key: key, into: &sink)
        case .meters: emitMeter(state, key: key, into: &sink)
        case .meterReadings: emitMeterReading(state, key: key, into: &sink)
        case .pm: emitPreventiveMaintenance(state, key: key, into: &sink)
        case .workOrderMaterials: emitWorkOrderMaterial(state, key: key, into: &sink)
        case .serviceRequests: emitServiceRequest(state, key: key, into: &sink)
        case .documents: emitDocument(state, key: key, into: &sink)
        case .inventories: emitInventory(state, key: key, into: &sink)
        case .returnOrders: emitReturnOrder(state, key: key, into: &sink)
        case .workOrderStatuses, .purchaseOrderStatuses, .serviceRequestStatuses, .returnOrderStatuses:
            emitStatus(state, key: key, into: &sink)
        }
    }

    func idValue(key: String) -> String {
        switch (platform, entity) {
        case (.jdeWorld, .workOrders): return "WO \(key)"
        case (.jdeWorld, .assets): return "AN8 \(key)"
        case (.jdeWorld, .purchaseOrders): return "OP \(key)"
        case (.jdeWorld, .materials): return "ITM \(key)"
        case (.jdeWorld, .sites): return key.trimmingLeadingSpaces()
        default: return key
        }
    }

    func displayValue(_ index: Int, key: String) -> String {
        let name = stableName(index)
        return "\(key.trimmingLeadingSpaces()) \(name)"
    }

    /// The entity's human name for a record (stable across updates).
    func stableName(_ index: Int) -> String {
        var random = stableRandom(index, stream: 3)
        let words = PlatformVocabulary.names(platform: platform, entity: entity)
        return words[Int(random.next() % UInt64(words.count))]
    }
}

extension String {
    func trimmingLeadingSpaces() -> String {
        String(drop(while: { $0 == " " }))
    }
}

extension SplitMix64 {
    /// The inverse of `mix`, so an id maps back to its record index without a table.
    static func unmix(_ value: UInt64) -> UInt64 {
        var z = invertXorShift(value, 31)
        z = z &* inverse(0x94D0_49BB_1331_11EB)
        z = invertXorShift(z, 27)
        z = z &* inverse(0xBF58_476D_1CE4_E5B9)
        return invertXorShift(z, 30)
    }

    private static func invertXorShift(_ y: UInt64, _ shift: UInt64) -> UInt64 {
        var x = y
        var covered = shift
        while covered < 64 {
            x = y ^ (x >> shift)
            covered += shift
        }
        return x
    }

    private static func inverse(_ odd: UInt64) -> UInt64 {
        var x = odd
        for _ in 0..<6 { x = x &* (2 &- odd &* x) }
        return x
    }
}
