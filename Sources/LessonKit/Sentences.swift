extension RenderedBlock {
    /// The block's text as sentences, spaces collapsed: what a reader of the lesson must get to see.
    ///
    /// A sentence ends at `.`, `!` or `?` before a space or the end, so
    /// `99.4%` and `keras.layers` stay whole.
    public var sentences: [String] {
        let words = plainText.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        var out: [String] = []
        var current: [Substring] = []
        for word in words {
            current.append(word)
            if let last = word.last, ".!?".contains(last) {
                out.append(current.joined(separator: " "))
                current = []
            }
        }
        if !current.isEmpty { out.append(current.joined(separator: " ")) }
        return out
    }
}
