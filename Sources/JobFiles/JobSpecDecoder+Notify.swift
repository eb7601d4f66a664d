import Foundation
import MakiniAPI
import Notices
import Yams

extension JobSpecDecoder {
    /// The keys of `notify:`.
    static let notifyKeys = ["on", "command", "webhook", "min_interval", "timeout"]
    /// The keys of `notify.webhook:`.
    static let webhookKeys = ["url", "secret_env", "secret_file", "signature_header"]
    /// Headers a signature may not be sent in: they are the request's own.
    static let reservedHeaders = ["content-type", "content-length", "host", "transfer-encoding", "connection", "user-agent", "authorization"]

    /// Reads `notify:`; nil when absent, null, or wrong (a problem is reported).
    func decodeNotify(_ field: YAMLFields.Field?) -> NotifySpec? {
        guard let field, !YAMLFields.isNull(field.value) else { return nil }
        guard let fields = YAMLFields(field.value, section: "notify", what: "'notify'", problems: problems) else { return nil }
        fields.reportUnknownKeys(allowed: Self.notifyKeys, problems: problems)
        var notify = NotifySpec()
        if let onField = fields.field("on") { notify.triggers = decodeTriggers(onField) ?? notify.triggers }
        if let commandField = fields.field("command"), !YAMLFields.isNull(commandField.value) {
            notify.command = decodeCommand(commandField)
        }
        if let webhookField = fields.field("webhook"), !YAMLFields.isNull(webhookField.value) {
            notify.webhook = decodeWebhook(webhookField)
        }
        notify.minIntervalSeconds = values.duration(fields.field("min_interval"), in: 0...604_800) ?? notify.minIntervalSeconds
        notify.timeoutSeconds = values.duration(fields.field("timeout"), in: 0.1...300) ?? notify.timeoutSeconds
        let given = ["command", "webhook"].compactMap { fields.field($0) }.filter { !YAMLFields.isNull($0.value) }
        if given.isEmpty {
            problems.report(
                "'notify' needs command: [\"/path/to/program\", \"arg\"] or webhook: {url: https://…, secret_env: NAME}, or both",
                at: fields.mark)
        }
        return notify
    }

    private func decodeTriggers(_ field: YAMLFields.Field) -> Set<NoticeStatus>? {
        let allowed = NoticeStatus.allCases.map(\.rawValue)
        guard let items = values.list(field, of: "statuses (\(allowed.joined(separator: ", ")))") else { return nil }
        guard !items.isEmpty else {
            values.report(field, "'on' is empty; list the statuses that send a notice (\(allowed.joined(separator: ", "))) or remove notify:")
            return nil
        }
        var triggers: Set<NoticeStatus> = []
        var valid = true
        for item in items {
            let entry = YAMLFields.Field(key: "on", keyMark: field.keyMark, value: item)
            guard let text = values.requiredText(entry, expected: "a status") else {
                valid = false
                continue
            }
            guard let status = NoticeStatus(rawValue: text) else {
                values.report(
                    entry,
                    "unknown status \(QuotedText.quoted(text)) in 'on' (expected \(allowed.joined(separator: ", ")))"
                        + NearMiss.didYouMean(text, among: allowed))
                valid = false
                continue
            }
            triggers.insert(status)
        }
        if valid, triggers == [.recovered] {
            values.report(field, "'on' lists only recovered, which is sent after a notified failure; add failed, partial or needs_reauth")
            return nil
        }
        return valid ? triggers : nil
    }

    private func decodeCommand(_ field: YAMLFields.Field) -> [String]? {
        guard let items = values.list(field, of: "arguments, the program first, e.g. [\"/usr/local/bin/page-oncall\", \"--team\", \"data\"]")
        else { return nil }
        guard !items.isEmpty else {
            values.report(field, "'command' is empty; give the program's absolute path first, e.g. [\"/usr/local/bin/page-oncall\"]")
            return nil
        }
        var argv: [String] = []
        for (index, item) in items.enumerated() {
            let entry = YAMLFields.Field(key: "command", keyMark: field.keyMark, value: item)
            guard let text = values.requiredText(entry, expected: "an argument (text)", showValue: false) else { return nil }
            guard IdentifierRules.isFilePath(text) else {
                values.report(entry, "an argument of 'command' must be 1 to 4096 bytes without control characters")
                return nil
            }
            guard !SecretLikeText.looksLikeSecret(text) else {
                values.report(
                    entry,
                    "an argument of 'command' looks like a token; a command's arguments are visible to every user of the host, "
                        + "so let the program read its secret from its own environment or a file; the value is not shown")
                return nil
            }
            if index == 0, !text.hasPrefix("/") {
                values.report(
                    entry,
                    "the program of 'command' must be an absolute path such as /usr/local/bin/page-oncall (it is run directly, "
                        + "without a shell or PATH lookup), found \(QuotedText.quoted(text))")
                return nil
            }
            argv.append(text)
        }
        return argv
    }

    private func decodeWebhook(_ field: YAMLFields.Field) -> NotifySpec.Webhook? {
        guard let fields = YAMLFields(field.value, section: "notify.webhook", what: "'webhook'", problems: problems) else { return nil }
        fields.reportUnknownKeys(allowed: Self.webhookKeys, problems: problems)
        var url: String?
        if let urlField = fields.field("url") {
            url = decodeWebhookURL(urlField)
        } else {
            problems.report("'webhook' needs url: https://… (the address the notice is POSTed to)", at: fields.mark)
        }
        var secret: SecretSource?
        switch (fields.field("secret_env"), fields.field("secret_file")) {
        case (nil, nil):
            if fields.field("secret") == nil {  // a literal secret is refused as an unknown key already
                problems.report(
                    "'webhook' needs secret_env: NAME (the variable's name) or secret_file: /path (mode 600), the key of the "
                        + "HMAC signature", at: fields.mark)
            }
        case (.some, .some(let second)):
            problems.report("'webhook' sets both secret_env and secret_file; choose one", at: second.keyMark)
        case (let environment, let file):
            secret = secretReference(environment: environment, file: file)
        }
        var header = NoticeSignature.defaultHeader
        if let headerField = fields.field("signature_header"),
           let text = values.text(headerField, expected: "an HTTP header name such as X-Makini-Sync-Signature") {
            if !isHeaderName(text) {
                values.report(
                    headerField,
                    "expected an HTTP header name (letters, digits and '-', starting with a letter) for 'signature_header', "
                        + "found \(QuotedText.quoted(text))")
            } else if Self.reservedHeaders.contains(text.lowercased()) {
                values.report(headerField, "'signature_header' may not be \(QuotedText.quoted(text)): the request sets that header itself")
            } else {
                header = text
            }
        }
        guard let url, let secret else { return nil }
        return NotifySpec.Webhook(url: url, secret: secret, signatureHeader: header)
    }

    private func decodeWebhookURL(_ field: YAMLFields.Field) -> String? {
        guard let text = values.text(field, expected: "a URL such as https://hooks.example.com/makini") else {
            if YAMLFields.isNull(field.value) { values.report(field, "'url' is empty; give the webhook's https:// address") }
            return nil
        }
        if let problem = BaseURLRule.problem(text, subject: "the webhook 'url'", allowInsecureHTTP: true, allowLoopbackHTTP: true) {
            values.report(field, problem.replacingOccurrences(of: "https://api.makini.io", with: "https://hooks.example.com/makini"))
            return nil
        }
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://"), let host = URLComponents(string: text)?.host, !BaseURLRule.isLoopback(host) {
            values.report(
                field,
                "the webhook 'url' must start with https:// (plain http:// only to a loopback host such as 127.0.0.1): "
                    + "the notice and its signature would cross the network in clear text")
            return nil
        }
        return text
    }

    private func isHeaderName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 100, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z")
        else { return false }
        return bytes.allSatisfy { byte in
            let lower = byte | 0x20
            return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-")
        }
    }
}
