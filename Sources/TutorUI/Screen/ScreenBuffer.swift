/// A grid of styled cells that views draw into and backends show.
///
/// Every cell holds exactly one character one column wide: text that would
/// take two columns (CJK, emoji) or none (controls) is replaced by `?` when
/// written, so a buffer's column always matches the terminal's. Writes outside
/// the grid or outside a clip rectangle are dropped, never wrapped.
public struct ScreenBuffer: Hashable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    // MARK: - Cells

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set { if contains(x, y) { cells[y * width + x] = newValue } }
    }

    public func contains(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Blanks every cell, keeping the size.
    public mutating func clear() {
        cells.withUnsafeMutableBufferPointer { $0.update(repeating: .blank) }
    }

    /// Changes the size and blanks every cell.
    public mutating func resize(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// Fills a rectangle with one character and style.
    public mutating func fill(_ rect: Rect, _ char: Character = " ", style: CellStyle = .plain) {
        let cell = Cell(scalar: ScreenBuffer.sanitized(char), style)
        let (xs, ys) = clipped(rect)
        for y in ys { for x in xs { cells[y * width + x] = cell } }
    }

    /// The columns and rows of `rect` that lie inside the buffer (empty ranges when none do).
    func clipped(_ rect: Rect) -> (Range<Int>, Range<Int>) {
        let x0 = min(max(0, rect.x), width), x1 = max(x0, min(width, rect.maxX))
        let y0 = min(max(0, rect.y), height), y1 = max(y0, min(height, rect.maxY))
        return (x0..<x1, y0..<y1)
    }

    /// Changes the style of every cell in a rectangle, keeping the characters.
    public mutating func restyle(_ rect: Rect, _ transform: (inout CellStyle) -> Void) {
        let (xs, ys) = clipped(rect)
        for y in ys { for x in xs { transform(&cells[y * width + x].style) } }
    }

    // MARK: - Text

    /// Writes `text` from (x, y), clipped to `maxWidth` columns and the buffer.
    ///
    /// - Returns: the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var column = x
        // Printable ASCII, most of every frame, is one column a byte: no
        // grapheme walk, and nothing to sanitize. Read from the string's own
        // bytes and written through one buffer pointer, not cell by checked cell.
        let written: Int?? = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            let first = max(x, 0), end = max(first, min(limit, x + bytes.count))
            if first < end {
                let row = y * width
                cells.withUnsafeMutableBufferPointer { cells in
                    for column in first..<end {
                        cells[row + column] = Cell(scalar: Unicode.Scalar(bytes[column - x]), style)
                    }
                }
            }
            return max(x, min(limit, x + bytes.count))
        }
        if let written, let column = written { return column }
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            for byte in text.utf8 {
                if column >= limit { break }
                if column >= 0 { cells[y * width + column] = Cell(scalar: Unicode.Scalar(byte), style) }
                column += 1
            }
            return column
        }
        // Most of the rest (box lines, arrows, ×, …, shades, braille) is one
        // scalar a character: no grapheme breaking needed either.
        if DisplayWidth.isOneScalarPerCharacter(text) {
            for scalar in text.unicodeScalars {
                if column >= limit { break }
                if column >= 0 { cells[y * width + column] = Cell(scalar: ScreenBuffer.sanitized(scalar), style) }
                column += 1
            }
            return column
        }
        for ch in text {
            if column >= limit { break }
            if column >= 0 { cells[y * width + column] = Cell(scalar: ScreenBuffer.sanitized(ch), style) }
            column += 1
        }
        return column
    }

    /// Writes styled spans one after another from (x, y), clipped like ``put(_:x:y:style:maxWidth:)``.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        var column = x
        let end = maxWidth.map { x + $0 }
        for span in spans {
            let room = end.map { $0 - column }
            if let room, room <= 0 { break }
            column = put(span.text, x: column, y: y, style: span.style, maxWidth: room)
        }
        return column
    }

    /// One character, as written into a cell: wide or control characters become `?`.
    static func sanitized(_ ch: Character) -> Unicode.Scalar {
        guard let scalar = ch.unicodeScalars.first else { return " " }
        return sanitized(scalar)
    }

    /// A character's first scalar, as written into a cell: wide or control scalars become `?`.
    static func sanitized(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) { return "?" }
        if DisplayWidth.isWide(scalar) { return "?" }
        return scalar
    }

    // MARK: - Reading back

    /// The characters of row `y`, trailing blanks removed.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: cells[(y * width)..<(y * width + width)].lazy.map(\.scalar))
        var s = String(scalars)
        while s.last == " " { s.removeLast() }
        return s
    }

    /// The whole buffer as text: one line per row, trailing blanks removed.
    public var plainText: String {
        (0..<height).map(line).joined(separator: "\n")
    }

    /// The positions of the first occurrence of `text`, searching row by row.
    public func find(_ text: String) -> (x: Int, y: Int)? {
        for y in 0..<height {
            let row = String(cells[(y * width)..<(y * width + width)].map(\.char))
            if let range = row.range(of: text) {
                return (row.distance(from: row.startIndex, to: range.lowerBound), y)
            }
        }
        return nil
    }
}

/// A piece of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: CellStyle
    public init(_ text: String, _ style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }
    public var width: Int { DisplayWidth.columns(text) }
}

/// Column widths without a terminal: which characters take two columns.
public enum DisplayWidth {
    /// The columns `text` takes in a ``ScreenBuffer``: one per character.
    public static func columns(_ text: String) -> Int {
        // ASCII checked on the string's own bytes where it has them (every table cell, every frame).
        if text.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy { $0 < 0x80 } }) ?? text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.count
        }
        if isOneScalarPerCharacter(text) { return text.unicodeScalars.count }
        return text.count
    }

    /// True when every scalar of `text` is a character of its own: none of
    /// them combines with a neighbour (accents, joiners, variation selectors,
    /// CR LF), so walking the scalars gives the same cells as walking the characters.
    static func isOneScalarPerCharacter(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { s in
            let v = s.value
            return (0x20...0x7E).contains(v) || (0xA0...0x2FF).contains(v) || (0x2010...0x2027).contains(v)
                || (0x2030...0x205F).contains(v) || (0x2070...0x20CF).contains(v) || (0x2100...0x2BFF).contains(v)
        }
    }

    /// True for East Asian wide and fullwidth characters and most emoji.
    public static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) && v != 0x303F
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v)
            || (0x20000...0x3FFFD).contains(v)
    }
}
