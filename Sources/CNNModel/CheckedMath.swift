/// Integer arithmetic that reports overflow as a ``ModelError`` reason.
enum CheckedMath {
    struct Overflow: Error {}

    static func multiply(_ a: Int, _ b: Int) throws(Overflow) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw Overflow() }
        return value
    }

    static func add(_ a: Int, _ b: Int) throws(Overflow) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        if overflow { throw Overflow() }
        return value
    }

    static func product<Values: Sequence<Int>>(_ values: Values) throws(Overflow) -> Int {
        var result = 1
        for v in values { result = try multiply(result, v) }
        return result
    }

    /// Floor division that rounds toward negative infinity, as NumPy's does.
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
