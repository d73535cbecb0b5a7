@preconcurrency import CNcurses
import Glibc
import TutorUI

/// The ncurses terminal: starts and restores curses mode, draws only the
/// cells that changed since the last frame, and reads keys with a timeout.
public final class CursesTerminal {
    /// Why curses could not start; the app then prints plain text.
    public struct StartError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public private(set) var capabilities = Capabilities.full
    public private(set) var mouseEnabled = false
    private var screen: OpaquePointer?
    private var lastFrame: ScreenBuffer?
    private var pairs: [ColorKey: Int16] = [:]
    private var nextPair: Int16 = 1
    private var maxPairs = 0
    private var active = false
    private var inputTimeoutMs: Int32 = 100
    private var debugCrash: DebugCrash?

    private struct ColorKey: Hashable { var fg: Int16; var bg: Int16 }

    public init() {}

    /// True while Ctrl-C reaches the app as a key instead of raising SIGINT.
    private var interruptIsKey = false

    // MARK: - Start and stop

    /// Makes Ctrl-C a key (it closes an open prompt) or, again, the interrupt that ends the app.
    ///
    /// Only the terminal's interrupt character changes; SIGINT from elsewhere is still caught.
    public func setInterruptIsKey(_ on: Bool) {
        guard active, on != interruptIsKey else { return }
        var t = termios()
        guard tcgetattr(STDIN_FILENO, &t) == 0 else { return }
        withUnsafeMutableBytes(of: &t.c_cc) { $0[Int(VINTR)] = on ? 0 : 3 }  // 0 disables it; 3 is Ctrl-C
        if tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0 { interruptIsKey = on }
    }

    /// Keeps the keys already typed when Ctrl-C raises SIGINT (NOFLSH): the
    /// kernel would otherwise drop them, and a key that opens a prompt, sent in
    /// the same write as the Ctrl-C that should close it, would be lost and the
    /// Ctrl-C would quit. ncurses is told, so that it restores this mode too.
    private func keepInputOnInterrupt() {
        var t = termios()
        guard tcgetattr(STDIN_FILENO, &t) == 0 else { return }
        t.c_lflag |= tcflag_t(NOFLSH)
        if tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0 { def_prog_mode() }
    }

    /// Enters curses mode on stdin/stdout; throws when the terminal can't do it.
    ///
    /// - Parameter inputTimeoutMs: how long ``readKey()`` waits; the loop sleeps there when idle.
    public func start(environment: [String: String], inputTimeoutMs: Int32 = 100, mouse: Bool = true) throws(StartError) {
        setlocale(LC_ALL, "")
        let utf8 = TerminalCheck.localeIsUTF8()
        setenv("ESCDELAY", "25", 0)
        TerminalGuard.saveModes()
        guard let s = newterm(nil, stdout, stdin) else {
            throw StartError(reason: "the terminal type TERM=\(environment["TERM"] ?? "") is unknown to ncurses")
        }
        screen = s
        set_term(s)
        active = true
        guard cnc_has_capability("cup") != 0 else {
            stop()
            throw StartError(reason: "TERM=\(environment["TERM"] ?? "") can't move the cursor")
        }
        cbreak()
        noecho()
        nonl()
        keepInputOnInterrupt()
        keypad(cnc_stdscr(), true)
        self.inputTimeoutMs = inputTimeoutMs
        wtimeout(cnc_stdscr(), inputTimeoutMs)
        curs_set(0)
        // Bracketed paste: a pasted model arrives as one message instead of keystrokes.
        fputs("\u{1B}[?2004h", stdout)
        fflush(stdout)
        if has_colors() {
            start_color()
            use_default_colors()
            maxPairs = Int(cnc_color_pairs())
        }
        if mouse {
            let mask = cnc_button1_clicked() | cnc_button1_pressed() | cnc_button4_pressed() | cnc_button5_pressed()
            mouseEnabled = mousemask(mask, nil) != 0
            mouseinterval(0)
        }
        capabilities = Capabilities.detect(environment: environment, terminalColors: has_colors() ? Int(cnc_colors()) : 0,
                                           utf8Locale: utf8)
        capabilities.mouse = mouseEnabled
        lastFrame = nil
        TerminalGuard.arm(restoreSequence: restoreSequence())
        debugCrash = DebugCrash(environment: environment)
    }

    /// The bytes that undo curses mode without ncurses: what the guard writes
    /// from a signal handler, where `endwin` can't be called.
    private func restoreSequence() -> [UInt8] {
        var bytes: [UInt8] = []
        func capability(_ name: String) {
            guard let s = name.withCString({ tigetstr(UnsafeMutablePointer(mutating: $0)) }),
                  Int(bitPattern: s) != -1 else { return }
            bytes += Array(String(cString: s).utf8)
        }
        capability("sgr0")
        capability("rmkx")
        capability("cnorm")
        if mouseEnabled { bytes += Array("\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?1002l".utf8) }
        bytes += Array("\u{1B}[?2004l".utf8)
        capability("rmcup")
        return bytes
    }

    /// Leaves curses mode: alternate screen off, cursor visible, terminal modes restored.
    public func stop() {
        guard active else { return }
        active = false
        if mouseEnabled { mousemask(0, nil) }
        curs_set(1)
        endwin()
        fputs("\u{1B}[?2004l", stdout)
        if let s = screen { delscreen(s) }
        screen = nil
        fflush(stdout)
        TerminalGuard.disarm()
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        (Int(getmaxx(cnc_stdscr())), Int(getmaxy(cnc_stdscr())))
    }

    // MARK: - Drawing

    /// Draws the cells of `buffer` that differ from the last frame, then refreshes.
    ///
    /// - Returns: how many cells were written.
    @discardableResult
    public func draw(_ buffer: ScreenBuffer) -> Int {
        if FrameDiff.isFull(from: lastFrame, to: buffer) { werase(cnc_stdscr()) }
        let changes = FrameDiff.changes(from: lastFrame, to: buffer)
        for (x, y) in changes { put(buffer[x, y], x: x, y: y) }
        lastFrame = buffer
        wrefresh(cnc_stdscr())
        debugCrash?.fire()
        debugCrash = nil
        return changes.count
    }

    /// Forgets the last frame so the next draw repaints everything (after a resize).
    public func invalidate() {
        lastFrame = nil
        clearok(cnc_stdscr(), true)
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var attrs = cnc_a_normal()
        if cell.style.bold { attrs |= cnc_a_bold() }
        if cell.style.reverse { attrs |= cnc_a_reverse() }
        if cell.style.dim { attrs |= cnc_a_dim() }
        if cell.style.underline { attrs |= cnc_a_underline() }
        let pair = pairNumber(fg: cell.style.fg, bg: cell.style.bg)
        var scalar = cell.scalar.value
        if !capabilities.unicode && scalar > 127 { scalar = 63 }  // "?": the view should not send these
        _ = cnc_put(Int32(y), Int32(x), wchar_t(bitPattern: scalar), attrs, Int32(pair))
    }

    private func pairNumber(fg: TutorUI.Color, bg: TutorUI.Color) -> Int16 {
        guard maxPairs > 1, fg != .default || bg != .default else { return 0 }
        let colors = Int(cnc_colors())
        func index(_ c: TutorUI.Color) -> Int16 {
            guard let i = c.paletteIndex else { return -1 }
            return i < colors ? Int16(i) : Int16(i % 8)
        }
        let key = ColorKey(fg: index(fg), bg: index(bg))
        if let p = pairs[key] { return p }
        guard Int(nextPair) < min(maxPairs, Int(Int16.max)) else { return 0 }
        let p = nextPair
        nextPair += 1
        init_pair(p, key.fg, key.bg)
        pairs[key] = p
        return p
    }

    // MARK: - Input

    /// What one read produced.
    public enum Input {
        case key(Key)
        case mouse(MouseEvent)
        case resize
        /// Text the terminal delivered as one bracketed paste.
        case paste(String)
    }

    /// Waits up to the input timeout for a key; nil on timeout.
    public func readInput() -> Input? {
        var ch: wint_t = 0
        let r = wget_wch(cnc_stdscr(), &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES {
            let code = Int32(ch)
            switch code {
            case KEY_RESIZE: return .resize
            case KEY_MOUSE: return mouseInput()
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_DC: return .key(.delete)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_BTAB: return .key(.backTab)
            case KEY_ENTER: return .key(.enter)
            default:
                for n in 1...12 where code == cnc_key_f(Int32(n)) { return .key(.function(n)) }
                return nil
            }
        }
        if ch == 27 {
            if let pasted = bracketedPaste() { return .paste(pasted) }
            // A key sequence ncurses doesn't know (a terminal whose TERM says otherwise) is dropped:
            // read as Escape and three letters, it would leave the lesson and type into it.
            if skipUnknownSequence() { return readInput() }
        }
        return CursesTerminal.decode(UInt32(ch)).map { .key($0) }
    }

    /// After an Escape: reads `[200~ … ESC[201~` as one paste, or puts the characters back and returns nil.
    /// After an Escape: reads and drops the rest of a CSI (`[`) or SS3 (`O`) sequence, if one follows at once.
    private func skipUnknownSequence() -> Bool {
        wtimeout(cnc_stdscr(), 0)
        defer { wtimeout(cnc_stdscr(), inputTimeoutMs) }
        var c: wint_t = 0
        guard wget_wch(cnc_stdscr(), &c) == OK else { return false }
        guard c == 91 || c == 79 else {  // "[" or "O"
            unget_wch(wchar_t(bitPattern: c))
            return false
        }
        let ss3 = c == 79
        // Parameters and intermediates (0x20–0x3F), then one final byte (0x40–0x7E); SS3 has only the final byte.
        while wget_wch(cnc_stdscr(), &c) == OK {
            if ss3 || (0x40...0x7E).contains(c) { return true }
            guard (0x20...0x3F).contains(c) else { return true }
        }
        return true
    }

    private func bracketedPaste() -> String? {
        wtimeout(cnc_stdscr(), 0)
        defer { wtimeout(cnc_stdscr(), inputTimeoutMs) }
        var head: [wint_t] = []
        let marker: [wint_t] = [91, 50, 48, 48, 126]  // "[200~"
        while head.count < marker.count {
            var c: wint_t = 0
            guard wget_wch(cnc_stdscr(), &c) == OK, c == marker[head.count] else {
                if c != 0 { head.append(c) }
                for c in head.reversed() { unget_wch(wchar_t(bitPattern: c)) }
                return nil
            }
            head.append(c)
        }
        // The body, until ESC [ 2 0 1 ~; a slow terminal gets up to a second per character.
        wtimeout(cnc_stdscr(), 1000)
        var text: [UInt32] = []
        let end: [UInt32] = [27, 91, 50, 48, 49, 126]
        while true {
            var c: wint_t = 0
            let r = wget_wch(cnc_stdscr(), &c)
            if r == ERR { break }
            if r == KEY_CODE_YES { continue }
            text.append(UInt32(c))
            if text.count >= end.count, Array(text.suffix(end.count)) == end {
                text.removeLast(end.count)
                break
            }
        }
        var s = ""
        for u in text { if let scalar = Unicode.Scalar(u) { s.unicodeScalars.append(scalar == "\r" ? "\n" : scalar) } }
        return s
    }

    /// A character code as a key: control codes become Enter, Tab, Escape, Backspace or Ctrl-letter.
    public static func decode(_ code: UInt32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(code + 96)!))
        case 0..<32: return nil
        default:
            guard let s = Unicode.Scalar(code) else { return nil }
            return .char(Character(s))
        }
    }

    private func mouseInput() -> Input? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let x = Int(event.x), y = Int(event.y)
        if event.bstate & cnc_button4_pressed() != 0 { return .mouse(.wheelUp(x: x, y: y)) }
        if cnc_button5_pressed() != 0, event.bstate & cnc_button5_pressed() != 0 { return .mouse(.wheelDown(x: x, y: y)) }
        if event.bstate & (cnc_button1_clicked() | cnc_button1_pressed()) != 0 { return .mouse(.click(x: x, y: y)) }
        return nil
    }
}
