import CNNModel

/// Short formats for table cells; numbers and sizes come from ``KerasFormat``.
enum Format {
    /// `6.0 MB`, `768 B`: ``KerasFormat/shortBytes(_:)``.
    static func bytes(_ n: Int) -> String { KerasFormat.shortBytes(n) }

    /// `(222, 222, 32)`: the shape without the batch axis.
    static func shape(_ s: [Int]) -> String { ShapeFormat.tuple(s) }

    /// A shorter class name for narrow columns.
    static func shortType(_ t: String) -> String {
        t.replacingOccurrences(of: "GlobalAveragePooling", with: "GAP")
            .replacingOccurrences(of: "GlobalMaxPooling", with: "GMP")
            .replacingOccurrences(of: "BatchNormalization", with: "BatchNorm")
            .replacingOccurrences(of: "LayerNormalization", with: "LayerNorm")
            .replacingOccurrences(of: "MaxPooling", with: "MaxPool")
            .replacingOccurrences(of: "AveragePooling", with: "AvgPool")
    }

    /// `name (Type)` in `width` cells, shortening the type and then the name so the type stays visible.
    static func nameAndType(_ name: String, _ type: String, width: Int, ellipsis: String) -> String {
        let full = "\(name) (\(type))"
        // Columns, which are Characters here, without a grapheme walk for ASCII.
        if DisplayWidth.columns(full) <= width { return full }
        let short = "\(name) (\(shortType(type)))"
        if DisplayWidth.columns(short) <= width { return short }
        let typePart = " (\(shortType(type)))"
        let room = width - typePart.count
        if room >= 4 {
            // Keep Keras' "_N" counter: it is what tells conv2d_10 from conv2d_11.
            let counter = counterSuffix(name)
            let keep = room - ellipsis.count - counter.count
            if keep >= 2 { return String(name.prefix(keep)) + ellipsis + counter + typePart }
            return String(name.prefix(room - ellipsis.count)) + ellipsis + typePart
        }
        return String(full.prefix(max(0, width - ellipsis.count))) + ellipsis
    }

    /// The first of `forms` that fits in `width` cells, else the last: a shorter wording rather than a cut-off number.
    static func fitting(_ forms: [String], width: Int) -> String {
        forms.first { $0.count <= width } ?? forms[forms.count - 1]
    }

    /// The `_N` counter Keras appends to a repeated layer name, or "" when there is none.
    private static func counterSuffix(_ name: String) -> Substring {
        guard let cut = name.lastIndex(of: "_") else { return "" }
        let digits = name[name.index(after: cut)...]
        return !digits.isEmpty && digits.allSatisfy(\.isNumber) ? name[cut...] : ""
    }
}
