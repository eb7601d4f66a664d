/// Did-you-mean suggestions: the closest candidate within an edit distance of 2.
public enum NearMiss {
    /// The candidate nearest to `text` (case- and separator-insensitive as a second try), or nil when none is within 2 edits.
    public static func suggestion(for text: String, among candidates: [String]) -> String? {
        guard text.count <= 200 else { return nil }
        let normalized = normalize(text)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = min(editDistance(text, candidate), editDistance(normalized, normalize(candidate)))
            if distance <= 2, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// "; did you mean 'x'?" or "".
    public static func didYouMean(_ text: String, among candidates: [String]) -> String {
        suggestion(for: text, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    private static func normalize(_ text: String) -> String {
        String(text.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
    }
}
