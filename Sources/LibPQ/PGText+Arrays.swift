extension PGText {
    /// A `text[]` literal for a parameter (`$1::text[]`): every element double-quoted with `\` and `"` escaped, nil as
    /// `NULL`, so ids holding commas, braces, quotes or the word NULL round-trip unchanged.
    public static func arrayLiteral(_ values: [String?]) -> String {
        var text = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            guard let value else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in value.unicodeScalars {
                if character == "\\" || character == "\"" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    /// `arrayLiteral` of values without NULLs.
    public static func arrayLiteral(_ values: [String]) -> String {
        arrayLiteral(values.map { Optional($0) })
    }
}
