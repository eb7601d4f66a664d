/// Maintenance records around assets and work orders: downtime, templates, meters and readings, PM schedules,
/// work-order materials, service requests, documents, status lists.
extension RecordGenerator {
    /// Downtime `d`, PM schedule `p` and meter `m` belong to asset `index % assets`: a work order on asset `a` finds its
    /// downtime and PM schedule at index `a`.
    func assetOf(_ index: Int) -> Int? {
        let assets = count(.assets)
        return assets > 0 ? index % assets : nil
    }

    func emitDowntime<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 20)
        var current = versionRandom(state.index, version: state.version)
        let started = state.createdAt - Int64(stable.next() % (3 * 86_400))
        let ongoing = current.next() % 12 == 0
        let ended: Int64? = ongoing ? nil : started + 600 + Int64(stable.next() % (72 * 3_600))
        let category = Int(stable.next() % UInt64(PlatformVocabulary.downtimeCategories.count))
        sink.field("key", string: key)
        sink.field("assetKey", string: existingKey(.assets, assetOf(state.index)))
        sink.field("description", string: stableName(state.index))
        sink.field("startedAt", date: started)
        sink.field("endedAt", date: ended)
        sink.field("categoryName", string: PlatformVocabulary.downtimeCategories[category])
        sink.field("severity", string: PlatformVocabulary.severities[Int(stable.next() % 4)])
        sink.field("notes", string: ongoing ? "Waiting for parts" : nil)
    }

    func emitAssetTemplate<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 21)
        sink.field("key", string: key)
        sink.field("siteKey", string: reference(.sites, stable.next()))
        sink.field("name", string: "\(stableName(state.index)) \(PlatformVocabulary.makes[state.index % PlatformVocabulary.makes.count])")
        sink.field("manufacturerName", string: PlatformVocabulary.makes[state.index % PlatformVocabulary.makes.count])
    }

    /// A meter's reading at a time: it grows steadily, so later readings are larger.
    func meterValue(_ meter: Int, at seconds: Int64) -> Double {
        let rate = Double(SplitMix64.mix(seed ^ 0x3E7E ^ UInt64(meter)) % 90 + 10) / 100
        let hours = Double(max(0, seconds - SimulatedTimestamp.epoch + 400 * 86_400)) / 3_600
        return (hours * rate).rounded()
    }

    func emitMeter<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        let asset = assetOf(state.index)
        let unit = state.index % 3 == 0 ? 9 : PlatformVocabulary.hourUnit
        sink.field("key", string: key)
        sink.field("siteKey", string: asset.flatMap { locationOfAsset($0) }.flatMap { siteOfLocation($0) }.map { sourceKey(.sites, $0) })
        sink.field("assetKeys", string: existingKey(.assets, asset))
        sink.field("uomName", string: PlatformVocabulary.units[unit].name)
        sink.field("uomKey", string: existingKey(.uom, unit))
        sink.field("lastReading", number: meterValue(state.index, at: state.updatedAt))
        sink.field("lastReadingAt", date: state.updatedAt)
    }

    func emitMeterReading<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        let meters = count(.meters)
        let meter = meters > 0 ? state.index % meters : nil
        sink.field("key", string: key)
        sink.field("assetKey", string: meter.flatMap { existingKey(.assets, assetOf($0)) })
        sink.field("meterKey", string: existingKey(.meters, meter))
        sink.field("reading", string: meter.map { JSONTextWriter.numberText(meterValue($0, at: state.createdAt)) })
    }

    func emitPreventiveMaintenance<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 22)
        var current = versionRandom(state.index, version: state.version)
        let asset = assetOf(state.index)
        let intervalDays = [7, 30, 90, 365][Int(stable.next() % 4)]
        let active = current.next() % 10 != 0
        sink.field("key", string: key)
        sink.beginArrayField("assetKeys")
        if let asset = existingKey(.assets, asset) { sink.element(string: asset) }
        sink.endArrayField()
        sink.field("teamKey", string: reference(.teams, stable.next()))
        sink.field("siteKey", string: asset.flatMap { locationOfAsset($0) }.flatMap { siteOfLocation($0) }.map { sourceKey(.sites, $0) })
        sink.field("accountKey", string: existingKey(.accounts, 0))
        sink.field("title", string: stableName(state.index))
        sink.field("description", string: "Every \(intervalDays) days")
        sink.field("status", string: active ? "active" : "suspended")
        sink.field("severity", string: PlatformVocabulary.severities[Int(stable.next() % 3)])
        sink.field("laborAssignedKey", string: reference(.labors, stable.next()))
        sink.field("estimatedTime", string: String(Double(stable.next() % 16 + 2) / 4))
        sink.field("roleName", string: PlatformVocabulary.roles[Int(stable.next() % UInt64(PlatformVocabulary.roles.count))])
        sink.field("categoryName", string: "Preventive")
        sink.field("assetTemplateKeys", string: nil)
        sink.field("statusKey", string: active ? "A" : "S")
        sink.field("notes", string: nil)
        // The next due date lies after the last change, within one interval.
        sink.field("dueAt", date: active ? state.updatedAt + Int64(stable.next() % UInt64(intervalDays * 86_400)) + 3_600 : nil)
        sink.field("categoryCode", string: "PM")
        sink.field("requiresMaterials", bool: stable.next() % 2 == 0)
        sink.beginArrayField("triggers")
        sink.beginElementObject()
        sink.field("type", string: "time")
        sink.field("interval", string: String(intervalDays))
        sink.field("recurring", string: "true")
        sink.field("condition", string: nil)
        sink.endElementObject()
        sink.endArrayField()
        emitTasks(state.index, key: key, count: Int(stable.next() % 3) + 1, into: &sink)
    }

    /// A work-order material: the published list serves it in the WorkOrder schema (parentKey = the work order,
    /// code = the material, materialCount = the quantity).
    func emitWorkOrderMaterial<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 23)
        let (order, _) = parentAndLine(state.index, parent: .workOrders)
        let material = referenceIndex(.materials, stable.next())
        let orders = generator(for: .workOrders)
        var orderRandom = orders.stableRandom(order, stream: 5)
        let asset = count(.workOrders) > 0 ? orders.referenceIndex(.assets, orderRandom.next()) : nil
        let place = asset.map { assetReference($0) }
        sink.field("key", string: key)
        sink.field("parentKey", string: existingKey(.workOrders, order))
        sink.field("siteKey", string: place?.site)
        sink.field("locationKey", string: place?.location)
        sink.field("assetKey", string: place?.asset)
        sink.field("code", string: material.map { sourceKey(.materials, $0) })
        sink.field("title", string: material.map { generator(for: .materials).stableName($0) })
        sink.field("storeroomKey", string: reference(.storerooms, stable.next()))
        sink.field("materialCount", string: String(stable.next() % 8 + 1))
        sink.field("notes", string: nil)
    }

    func emitServiceRequest<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 24)
        var current = versionRandom(state.index, version: state.version)
        let asset = referenceIndex(.assets, stable.next())
        let place = asset.map { assetReference($0) }
        // iOffice work orders are facility requests: request i became work order i (on JDE every fourth did).
        let workOrder = platform == .ioffice || state.index % 4 == 0 ? existingKey(.workOrders, state.index) : nil
        let status = workOrder != nil ? 2 : Int(current.next() % 2) * (current.next() % 5 == 0 ? 3 : 1)
        let approved: Int64? = status == 0 || status == 3 ? nil : state.createdAt + Int64(stable.next() % 86_400)
        sink.field("key", string: key)
        sink.field("siteKey", string: place?.site)
        sink.field("locationKey", string: place?.location)
        sink.field("storeroomKey", string: nil)
        sink.field("assetKey", string: place?.asset)
        sink.field("workOrderKey", string: workOrder)
        sink.field("teamKey", string: reference(.teams, stable.next()))
        sink.field("userRequestedKey", string: reference(.users, stable.next()))
        sink.field("userApprovedKey", string: approved == nil ? nil : reference(.users, stable.next()))
        sink.field("laborAssignedKey", string: workOrder == nil ? nil : reference(.labors, stable.next()))
        sink.field("title", string: stableName(state.index))
        sink.field("description", string: stable.next() % 2 == 0 ? nil : "Reported by phone")
        sink.field("statusKey", string: statusKey(.serviceRequestStatuses, status))
        sink.field("severity", string: PlatformVocabulary.severities[Int(stable.next() % 4)])
        sink.field("estimatedTime", string: String(Double(stable.next() % 8 + 1) / 2))
        sink.field("roleName", string: PlatformVocabulary.roles[Int(stable.next() % UInt64(PlatformVocabulary.roles.count))])
        sink.field("categoryName", string: PlatformVocabulary.workOrderCategories[Int(stable.next() % 5)])
        sink.field("notes", string: nil)
        sink.field("approvedAt", date: approved)
        sink.field("dueAt", date: state.createdAt + Int64(stable.next() % (14 * 86_400)) + 3_600)
    }

    func emitDocument<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 25)
        let kind = PlatformVocabulary.documentTypes[Int(stable.next() % UInt64(PlatformVocabulary.documentTypes.count))]
        sink.field("key", string: key)
        sink.beginArrayField("entityKeys")
        if let owner = stable.next() % 3 == 0 ? reference(.workOrders, stable.next()) : reference(.assets, stable.next()) {
            sink.element(string: owner)
        }
        sink.endArrayField()
        sink.field("name", string: "\(stableName(state.index)) \(state.index + 1).\(kind.suffix)")
        sink.field("url", string: "https://files.example.com/\(platform.rawValue)/\(key.trimmingLeadingSpaces()).\(kind.suffix)")
        sink.field("type", string: kind.type)
        sink.field("contentType", string: kind.contentType)
        sink.field("description", string: nil)
        sink.field("notes", string: nil)
    }

    func emitStatus<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        let list = entity.statusVocabulary
        let word = state.index < list.count ? list[state.index].word : "status \(state.index)"
        sink.field("key", string: key)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.field("parentKey", string: nil)
        sink.field("name", string: word)
        sink.field("code", string: key)
        sink.field("subCode", string: nil)
        sink.field("scope", string: String(entity.rawValue.dropFirst("statuses/".count)))
        sink.field("isActive", bool: true)
    }
}
