import Testing
@testable import TerminalBackend
import TutorUI

@Suite struct AsciicastRecorderTests {
    @Test func headerHasVersionSizeAndTitle() {
        let rec = AsciicastRecorder(width: 80, height: 24, title: "Lesson \"1\"")
        let header = rec.lines[0]
        #expect(header.hasPrefix("{\"version\": 2, \"width\": 80, \"height\": 24"))
        #expect(header.contains("\"title\": \"Lesson \\\"1\\\"\""))
        #expect(!header.contains("timestamp"))
    }

    @Test func framesAreOutputEventsWithOnlyTheChanges() {
        var rec = AsciicastRecorder(width: 10, height: 2, title: "t")
        var buffer = ScreenBuffer(width: 10, height: 2)
        buffer.put("hello", x: 0, y: 0)
        rec.frame(buffer, at: 0)
        buffer.put("J", x: 0, y: 1, style: .bold)
        rec.frame(buffer, at: 1.25)
        rec.frame(buffer, at: 2)  // nothing changed: no event
        rec.marker("step 2", at: 2.5)
        #expect(rec.lines.count == 4)
        #expect(rec.lines[1].hasPrefix("[0.000, \"o\", \"\\u001b[0m\\u001b[?25l\\u001b[2J"))
        #expect(rec.lines[1].contains("hello"))
        #expect(rec.lines[2] == "[1.250, \"o\", \"\\u001b[2;1H\\u001b[0;1mJ\\u001b[0m\"]")
        #expect(rec.lines[3] == "[2.500, \"m\", \"step 2\"]")
    }

    @Test func sgrCoversColoursAndAttributes() {
        #expect(ANSIRenderer.sgr(.plain) == "\u{1B}[0m")
        #expect(ANSIRenderer.sgr(CellStyle(fg: .index(196), bg: .blue, bold: true, reverse: true)) == "\u{1B}[0;1;7;38;5;196;44m")
    }
}
