import Testing
@testable import TutorUI

@Suite struct WidgetTests {
    @Test func textIsClippedNotWrapped() {
        var b = ScreenBuffer(width: 5, height: 2)
        b.put("abcdefgh", x: 2, y: 0)
        #expect(b.plainText == "  abc\n")
        b.put("漢x", x: 0, y: 1)
        #expect(b.line(1) == "?x", "wide characters would shift every column after them")
    }

    @Test func shortenedNamesKeepTheirKerasCounter() {
        #expect(Format.nameAndType("conv2d_10", "Conv2D", width: 17, ellipsis: "…") == "conv…_10 (Conv2D)")
        #expect(Format.nameAndType("conv2d_11", "Conv2D", width: 17, ellipsis: "…") == "conv…_11 (Conv2D)")
        #expect(Format.nameAndType("max_pooling2d", "MaxPooling2D", width: 17, ellipsis: "…") == "max_… (MaxPool2D)")
        #expect(Format.nameAndType("dense_1", "Dense", width: 20, ellipsis: "…") == "dense_1 (Dense)")
    }

    @Test func theTotalsLineShortensItsWordsRatherThanCutTheHeadsName() {
        for width in [60, 70, 80, 120] {
            var state = Fixtures.seed(width: width, height: 24)
            Fixtures.send(&state, .key(.char("h")))
            let text = Fixtures.render(state).plainText
            let line = text.split(separator: "\n").first { $0.contains("Mult-adds:") }.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            #expect(line.hasSuffix("head: GlobalAveragePooling") || line.hasSuffix("head: GAP"), "at \(width) columns: \(line)")
        }
    }

    @Test func theCompareScreensDenseFormulaKeepsItsTotalWhole() {
        var state = AppState(width: 80, height: 24)
        Fixtures.send(&state, .setSource("""
            model = keras.Sequential([keras.Input(shape=(7, 7, 512)), keras.layers.Flatten(),
                keras.layers.Dense(4096, activation='relu'), keras.layers.Dense(1000, activation='softmax')])
            """), .show(.compare))
        let formula = Fixtures.render(state).plainText.split(separator: "\n").first { $0.contains("4096") && $0.contains("=") } ?? ""
        #expect(formula.contains("= 102,764,544"), "the Dense formula: \(formula)")
    }

    @Test func barsUseEighthsAndAlwaysShowNonZero() {
        #expect(Bar.text(1, width: 4, unicode: true) == "████")
        #expect(Bar.text(0.5, width: 3, unicode: true) == "█▌")
        #expect(Bar.text(0.0001, width: 10, unicode: true) == "▏")
        #expect(Bar.text(0, width: 10, unicode: true) == "")
        #expect(Bar.text(0.5, width: 4, unicode: false) == "##")
    }

    @Test func richTextWrapsWithBoldAndCode() {
        let lines = RichText.wrap("a **bold** word and `code here` end", width: 12, theme: Theme(.full))
        let texts = lines.map { $0.map(\.text).joined() }
        #expect(texts == ["a bold word", "and code", "here end"])
        #expect(lines[0].contains { $0.text == "bold" && $0.style.bold })
        #expect(lines[1].contains { $0.text == "code" && $0.style == Theme(.full).code })
    }

    @Test func aWordRunningAcrossStylesWrapsWhole() {
        // "99.4%" is bold (a computed number) and the full stop after it is not: they stay on one line.
        let lines = RichText.wrap("the layer is **99.4%**. Then `Dense(10)`, done", width: 17, theme: Theme(.full))
        let texts = lines.map { $0.map(\.text).joined() }
        #expect(texts == ["the layer is", "99.4%. Then", "Dense(10), done"])
    }

    @Test func brailleLineIsContinuous() {
        var b = ScreenBuffer(width: 10, height: 3)
        let plot = Plot(series: [Plot.Series(name: "a", points: [(0, 0), (1, 1)], mark: "*")], xRange: 0...1, yRange: 0...1, logY: false)
        plot.draw(in: b.bounds, theme: Theme(.full), into: &b)
        for x in 0..<10 { #expect((0..<3).contains { b[x, $0].char != " " }, "gap at column \(x)") }
        #expect(b[0, 2].char != " " && b[9, 0].char != " ")
    }

    @Test func lineEditorEditsAndKeepsHistory() {
        var e = LineEditor()
        e.insert("Dense(10)")
        _ = e.handle(.home)
        _ = e.handle(.delete)
        #expect(e.string == "ense(10)")
        #expect(e.handle(.enter) == .submitted("ense(10)"))
        _ = e.handle(.up)
        #expect(e.string == "ense(10)")
        _ = e.handle(.ctrl("w"))
        #expect(e.string == "")
    }
}

/// Every screen at many sizes: nothing may crash, and nothing may be drawn outside the buffer.
@Suite struct LayoutRobustnessTests {
    @Test func everyScreenRendersAtManySizes() {
        let ran = FeatureMapsSnapshotTests.ran(width: 80, height: 24)
        for caps in [Capabilities.full, .ascii] {
            for w in stride(from: 0, through: 200, by: 13) {
                for h in stride(from: 0, through: 64, by: 7) {
                    for screen in [Screen.builder, .compare, .featureMaps, .lesson] {
                        var state = screen == .featureMaps ? ran : Fixtures.seed(caps: caps)
                        Fixtures.send(&state, .setCapabilities(caps), .resize(width: w, height: h), .show(screen),
                                      .setDetail(true), .select(9))
                        if screen == .lesson {
                            Fixtures.send(&state, .setLesson(LessonPane(title: "Flatten", text: "**Flatten** puts every value in a row: `53·53·64`.", keys: [KeyHint("n", "next")])))
                        }
                        let buffer = Fixtures.render(state)
                        #expect(buffer.width == w && buffer.height == h)
                        Fixtures.send(&state, .setHelp(true), .key(.char("a")))
                        _ = Fixtures.render(state)
                    }
                }
            }
        }
    }

    @Test func brokenModelsRenderEverywhere() {
        var state = Fixtures.seed()
        Fixtures.send(&state, .setInputSize(4))
        for screen in [Screen.builder, .compare, .featureMaps] {
            Fixtures.send(&state, .show(screen), .runFeatureMaps)
            #expect(Fixtures.render(state).plainText.count > 0)
        }
        var empty = AppState(width: 80, height: 24)
        for screen in [Screen.builder, .compare, .featureMaps] {
            Fixtures.send(&empty, .show(screen), .setDetail(true))
            #expect(Fixtures.render(empty).plainText.count > 0)
        }
    }
}
