import CNNModel
import Testing

/// The one number and size format: Keras' summary conventions, whatever the locale.
@Suite struct KerasFormatTests {
    @Test func groupsThousandsWithCommas() {
        #expect(KerasFormat.grouped(11_574_090) == "11,574,090")
        #expect(KerasFormat.grouped(999) == "999")
        #expect(KerasFormat.grouped(-1_000) == "-1,000")
        #expect(KerasFormat.grouped(0) == "0")
    }

    @Test func fixedDecimalsRoundAndPad() {
        #expect(KerasFormat.fixed(0.8734, decimals: 3) == "0.873")
        #expect(KerasFormat.fixed(2, decimals: 2) == "2.00")
        #expect(KerasFormat.fixed(0.05, decimals: 1) == "0.1")
        #expect(KerasFormat.fixed(-1.25, decimals: 1) == "-1.3")
        #expect(KerasFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(KerasFormat.fixed(1_234.5, decimals: 1) == "1234.5")
        #expect(KerasFormat.fixed(1_234.5, decimals: 1, grouping: true) == "1,234.5")
        #expect(KerasFormat.fixed(7.6, decimals: 0) == "8")
        #expect(KerasFormat.fixed(.nan, decimals: 2) == "NaN")
        #expect(KerasFormat.fixed(-.infinity, decimals: 2) == "-∞")
    }

    @Test func percentOfAFraction() {
        #expect(KerasFormat.percent(0.873) == "87.3%")
        #expect(KerasFormat.percent(1) == "100.0%")
        #expect(KerasFormat.percent(0.456, decimals: 0) == "46%")
    }

    /// Keras' summary of the article's Flatten model: `11,574,090 (44.15 MB)`.
    @Test func bytesAsKerasPrintsThem() {
        #expect(KerasFormat.bytes(11_574_090 * 4) == "44.15 MB")
        #expect(KerasFormat.bytes(768) == "768.00 B")
        #expect(KerasFormat.bytes(1_024) == "1.00 KB")
        #expect(KerasFormat.bytes(3 * 1_073_741_824) == "3.00 GB")
    }

    @Test func shortAndMegabyteSizesUseTheSameUnits() {
        #expect(KerasFormat.shortBytes(11_574_090 * 4) == "44.2 MB")
        #expect(KerasFormat.shortBytes(768) == "768 B")
        #expect(KerasFormat.shortBytes(1_536) == "1.5 KB")
        #expect(KerasFormat.megabytes(Double(11_574_090 * 4)) == "44.2 MB")
        #expect(KerasFormat.megabytes(602_112) == "0.6 MB")
    }

    @Test func shortCounts() {
        #expect(KerasFormat.short(58_352_256) == "58.4M")
        #expect(KerasFormat.short(12_300) == "12.3K")
        #expect(KerasFormat.short(999) == "999")
    }
}
