import CNNModel

/// Short number formats for table cells.
enum Format {
    /// `6.0 MB`, `768 B`: one decimal, binary units as Keras uses.
    static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var value = Double(n), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return (unit == 0 ? String(n) : KerasFormat.formatFixed(value, decimals: 1)) + " " + units[unit]
    }

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
        if full.count <= width { return full }
        let short = "\(name) (\(shortType(type)))"
        if short.count <= width { return short }
        let typePart = " (\(shortType(type)))"
        let room = width - typePart.count
        if room >= 4 { return String(name.prefix(room - ellipsis.count)) + ellipsis + typePart }
        return String(full.prefix(max(0, width - ellipsis.count))) + ellipsis
    }
}

import Foundation
