import Testing
@testable import TerminalBackend
import TutorUI

@Suite struct TerminalCheckTests {
    @Test func plainTextWhenNotATerminalOrDumb() {
        let env = ["TERM": "xterm-256color"]
        #expect(TerminalCheck.reasonForPlainText(environment: env, stdinIsTTY: true, stdoutIsTTY: true) == nil)
        #expect(TerminalCheck.reasonForPlainText(environment: env, stdinIsTTY: true, stdoutIsTTY: false) == "standard output is not a terminal")
        #expect(TerminalCheck.reasonForPlainText(environment: env, stdinIsTTY: false, stdoutIsTTY: true) == "standard input is not a terminal")
        #expect(TerminalCheck.reasonForPlainText(environment: ["TERM": "dumb"], stdinIsTTY: true, stdoutIsTTY: true)?.contains("dumb") == true)
        #expect(TerminalCheck.reasonForPlainText(environment: [:], stdinIsTTY: true, stdoutIsTTY: true) == "TERM is not set")
    }

    @Test func noColorAndDepthDecideCapabilities() {
        #expect(Capabilities.detect(environment: [:], terminalColors: 256, utf8Locale: true) == Capabilities(colors: .full256, unicode: true))
        #expect(Capabilities.detect(environment: [:], terminalColors: 8, utf8Locale: false) == Capabilities(colors: .basic8, unicode: false))
        #expect(Capabilities.detect(environment: ["NO_COLOR": "1"], terminalColors: 256, utf8Locale: true).colors == .mono)
        #expect(Capabilities.detect(environment: ["NO_COLOR": ""], terminalColors: 256, utf8Locale: true).colors == .full256)
        #expect(Capabilities.detect(environment: [:], terminalColors: 0, utf8Locale: true).colors == .mono)
    }

    @Test func controlCodesDecodeToKeys() {
        #expect(CursesTerminal.decode(13) == .enter)
        #expect(CursesTerminal.decode(9) == .tab)
        #expect(CursesTerminal.decode(27) == .escape)
        #expect(CursesTerminal.decode(127) == .backspace)
        #expect(CursesTerminal.decode(3) == .ctrl("c"))
        #expect(CursesTerminal.decode(0x61) == .char("a"))
        #expect(CursesTerminal.decode(0x2080) == .char("₀"))
    }

    @Test func signalsExitWithConventionalCodes() {
        #expect(SignalTrap.exitCode(for: 2) == 130)
        #expect(SignalTrap.exitCode(for: 15) == 143)
        #expect(SignalTrap.exitCode(for: 1) == 129)
    }

    @Test func plainReportSaysWhyAndShowsTheSummary() {
        var state = AppState()
        _ = update(&state, .setSource("keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])"))
        let text = PlainTextReport.text(for: state, reason: "standard output is not a terminal")
        #expect(text.hasPrefix("cnn-tutor: not starting the full-screen app because standard output is not a terminal."))
        #expect(text.contains("7,850"))
    }
}
