/// A conservative pass over raw YAML text, run before Yams composes it, that finds alias (`*name`) and anchor
/// (`&name`) tokens and deep flow nesting. Aliases are what make "billion laughs" documents blow up (and Yams hashes
/// mapping keys, so an aliased key would take exponential time), so job files may not use them at all.
///
/// The scan does not track quotes or comments, on purpose: every place where YAML allows an alias (line start,
/// after `:`, `-`, `?`, `[`, `{` or `,` and spaces) is checked, whatever the context, so no quoting trick can hide one.
/// The price is a rare false alarm for text like `"a, *b"`, which the message explains.
struct YAMLAliasScan {
    /// One finding: a 1-based position and what was found there.
    struct Finding: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The deepest `[`/`{` nesting accepted.
    static let maximumFlowDepth = 64

    /// Scans `text` and returns its findings in position order: the first alias, the first anchor, excessive nesting.
    static func findings(in text: String) -> [Finding] {
        var findings: [Finding] = []
        var line = 1
        var column = 0
        var previousSignificant: Unicode.Scalar = "\n"
        var previousScalar: Unicode.Scalar = "\n"
        var pendingMarker: (scalar: Unicode.Scalar, line: Int, column: Int)?
        var flowDepth = 0
        var reportedDepth = false
        var reportedKinds: Set<Unicode.Scalar> = []

        for scalar in text.unicodeScalars {
            if isLineBreak(scalar) {
                if !(scalar == "\n" && previousScalar == "\r") {
                    line += 1
                    column = 0
                }
                previousScalar = scalar
                previousSignificant = "\n"
                pendingMarker = nil
                continue
            }
            column += 1
            defer { previousScalar = scalar }
            if let marker = pendingMarker {
                pendingMarker = nil
                if isAnchorCharacter(scalar), !reportedKinds.contains(marker.scalar) {
                    reportedKinds.insert(marker.scalar)
                    findings.append(Finding(line: marker.line, column: marker.column, message: message(for: marker.scalar)))
                }
            }
            if scalar == " " || scalar == "\t" { continue }
            if (scalar == "*" || scalar == "&") && opensValue(after: previousSignificant) {
                pendingMarker = (scalar, line, column)
            }
            if (scalar == "[" || scalar == "{") && opensValue(after: previousSignificant) {
                flowDepth += 1
                if flowDepth > maximumFlowDepth, !reportedDepth {
                    reportedDepth = true
                    findings.append(Finding(
                        line: line, column: column,
                        message: "nesting deeper than \(maximumFlowDepth) levels is not allowed in a job file"))
                }
            } else if (scalar == "]" || scalar == "}") && flowDepth > 0 {
                flowDepth -= 1
            }
            previousSignificant = scalar
        }
        return findings
    }

    private static func message(for marker: Unicode.Scalar) -> String {
        if marker == "*" {
            return "YAML aliases ('*name') are not allowed in a job file; write the value out "
                + "(text that starts with '*' or follows ', *' must be quoted and must not look like an alias)"
        }
        return "YAML anchors ('&name') are not allowed in a job file; write each value out where it is used"
    }

    private static func opensValue(after previous: Unicode.Scalar) -> Bool {
        switch previous {
        case "\n", ":", "-", "?", "[", "{", ",": true
        default: false
        }
    }

    private static func isAnchorCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
        default: scalar.value >= 0x80
        }
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
