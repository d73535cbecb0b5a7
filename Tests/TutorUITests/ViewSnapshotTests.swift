import Testing
@testable import TutorUI
import CNNModel

/// Plain-text snapshots of every screen at 80×24 and 120×40.
@Suite struct ViewSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    @Test(arguments: sizes) func builder(_ size: (Int, Int)) {
        let state = Fixtures.seed(width: size.0, height: size.1)
        Snapshot.assert("builder-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func detail(_ size: (Int, Int)) {
        var state = Fixtures.seed(width: size.0, height: size.1)
        Fixtures.send(&state, .select(1), .setDetail(true))
        Snapshot.assert("detail-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func compare(_ size: (Int, Int)) {
        var state = Fixtures.seed(width: size.0, height: size.1)
        Fixtures.send(&state, .show(.compare))
        Snapshot.assert("compare-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func help(_ size: (Int, Int)) {
        var state = Fixtures.seed(width: size.0, height: size.1)
        Fixtures.send(&state, .setHelp(true))
        Snapshot.assert("help-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test(arguments: [(59, 24), (80, 17), (40, 10)]) func tooSmall(_ size: (Int, Int)) {
        let state = Fixtures.seed(width: size.0, height: size.1)
        Snapshot.assert("too-small-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    @Test func builderASCII() {
        let state = Fixtures.seed(caps: .ascii)
        Snapshot.assert("builder-ascii-80x24", Fixtures.render(state).plainText)
    }
}
