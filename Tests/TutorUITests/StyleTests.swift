import Testing
@testable import TutorUI
import CNNModel

/// The styles a snapshot can't see: selection, colours, fallbacks.
@Suite struct StyleTests {
    @Test func selectedRowIsReversedAcrossTheTable() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .select(2))
        let buffer = Fixtures.render(state)
        let (_, y) = try! #require(buffer.find("conv2d_1 (Conv2D)"))
        #expect((1..<79).allSatisfy { buffer[$0, y].style.reverse })
        let other = try! #require(buffer.find("conv2d (Conv2D)"))
        #expect(!buffer[other.x, other.y].style.reverse)
    }

    @Test func denseAfterFlattenHasTheRedBarIn256Colours() {
        let buffer = Fixtures.render(Fixtures.seed())
        let (_, y) = try! #require(buffer.find("dense (Dense)"))
        let bar = (0..<80).map { buffer[$0, y] }.filter { $0.char == "█" }
        #expect(bar.count >= 5)
        #expect(bar.allSatisfy { $0.style.fg == .red && $0.style.bold })
        let small = try! #require(buffer.find("conv2d (Conv2D)"))
        #expect((0..<80).map { buffer[$0, small.y] }.contains { $0.char == "▏" && $0.style.fg == .green })
    }

    @Test func monochromeUsesNoColourAtAll() {
        for state in [Fixtures.seed(caps: Capabilities(colors: .mono, unicode: true)), FeatureMapsSnapshotTests.ran(width: 80, height: 24, caps: .ascii)] {
            let buffer = Fixtures.render(state)
            #expect(buffer.cells.allSatisfy { $0.style.fg == .default && $0.style.bg == .default })
        }
    }

    @Test func eightColoursStayInTheBasicPalette() {
        var state = FeatureMapsSnapshotTests.ran(width: 120, height: 40, caps: Capabilities(colors: .basic8, unicode: true))
        Fixtures.send(&state, .show(.compare))
        for s in [state, Fixtures.seed(caps: Capabilities(colors: .basic8, unicode: true))] {
            let buffer = Fixtures.render(s)
            #expect(buffer.cells.allSatisfy { ($0.style.fg.paletteIndex ?? 0) < 8 && ($0.style.bg.paletteIndex ?? 0) < 8 })
        }
    }

    @Test func asciiModeWritesOnlyASCII() {
        var state = Fixtures.seed(caps: .ascii)
        for screen in [Screen.builder, .compare] {
            Fixtures.send(&state, .show(screen), .setDetail(true), .select(1))
            let buffer = Fixtures.render(state)
            #expect(buffer.cells.allSatisfy { $0.char.isASCII }, "non-ASCII on \(screen)")
        }
        Fixtures.send(&state, .setHelp(true))
        #expect(Fixtures.render(state).cells.allSatisfy { $0.char.isASCII })
    }

    @Test func heatmapsUseHalfBlocksIn256ColoursAndShadesOtherwise() {
        let colour = Fixtures.render(FeatureMapsSnapshotTests.ran(width: 80, height: 24))
        let halves = colour.cells.filter { $0.char == "▀" }
        #expect(halves.count > 100)
        #expect(halves.allSatisfy { $0.style.fg.paletteIndex != nil && $0.style.bg.paletteIndex != nil })
        #expect(Set(halves.map(\.style.fg)).count > 4, "a heatmap needs more than a few colours")
        let shades = Fixtures.render(FeatureMapsSnapshotTests.ran(width: 80, height: 24, caps: Capabilities(colors: .basic8, unicode: true)))
        #expect(!shades.cells.contains { $0.char == "▀" })
        #expect(shades.cells.contains { "░▒▓█".contains($0.char) })
    }

    @Test func titleAndStatusBarsAreStyled() {
        let buffer = Fixtures.render(Fixtures.seed())
        #expect(buffer[0, 0].style.bg == .cyan && buffer[0, 0].style.bold)
        #expect(buffer[0, 23].style.reverse)
        let mono = Fixtures.render(Fixtures.seed(caps: .ascii))
        #expect(mono[0, 0].style.reverse && mono[0, 0].style.bold)
    }

    @Test func errorsAreRedAndBold() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .key(.char("a")))
        Fixtures.typeKeys(&state, "Conv2X(32, 3)\n")
        let buffer = Fixtures.render(state)
        let (x, y) = try! #require(buffer.find("unknown layer 'Conv2X'"))
        #expect(buffer[x, y].style.fg == .red && buffer[x, y].style.bold)
    }
}
