import CNNCompute
import Race
import CNNModel
import Foundation

/// The experiment screen: the Flatten head and the GAP head training side by
/// side, then their results and a few images with each head's answer.
public enum ExperimentView {
    /// Draws the screen into `rect`.
    public static func draw(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        guard !rect.isEmpty else { return }
        let e = state.experiment
        let theme = state.theme
        let area = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height)
        guard let progress = e.progress else {
            drawIntro(e, in: area, theme: theme, into: &buffer)
            return
        }
        var y = area.y
        drawHeader(e, progress, in: area, y: &y, theme: theme, into: &buffer)
        if let divergence = progress.divergence {
            // What happened and what to try, above whatever page is shown.
            for line in ReportText.wrap(divergence.text, width: area.width).prefix(4) where y < area.maxY {
                buffer.put(line, x: area.x, y: y, style: theme.error, maxWidth: area.width)
                y += 1
            }
        }
        let body = Rect(x: area.x, y: y, width: area.width, height: area.maxY - y)
        switch e.page {
        case .curves: drawCurves(progress, in: body, theme: theme, into: &buffer)
        case .results:
            if let result = e.result { drawResults(result, scroll: e.notesScroll, in: body, theme: theme, into: &buffer) }
            else { drawWaiting(e, in: body, theme: theme, into: &buffer) }
        case .examples:
            if let result = e.result { drawExamples(result, in: body, theme: theme, into: &buffer) }
            else { drawWaiting(e, in: body, theme: theme, into: &buffer) }
        }
    }

    /// The hint on the command line.
    public static func commandHint(_ state: AppState) -> String {
        let dot = state.theme.dot
        switch state.experiment.status {
        case .idle, .failed: return "Enter start the race \(dot) [ ] , . e o g settings \(dot) ? help"
        case .running: return "Space pause \(dot) x cancel \(dot) Tab curves/results/examples"
        case .paused: return "Space resume \(dot) x cancel \(dot) Tab curves/results/examples"
        case .finished, .cancelled: return "r run again \(dot) [ ] , . e o g change it \(dot) w save weights \(dot) Tab pages"
        }
    }

    /// The key hints in the status line.
    public static func statusHints(_ state: AppState) -> [(String, String)] {
        let hints = Dictionary(uniqueKeysWithValues: KeyMap.experiment.bindings.compactMap { b in b.hint.map { (b.action, $0) } })
        let back = KeyMap.hints(on: .experiment).filter { $0.key == "b" || $0.key == "?" || $0.key == "q" }
        let own: [KeyHint]
        switch state.experiment.status {
        case .idle, .failed: own = [hints[.start]!, hints[.learningRateDown]!]
        case .running: own = [hints[.pause]!, hints[.cancel]!, hints[.nextPage]!]
        case .paused: own = [KeyHint(hints[.pause]!.key, "resume"), hints[.cancel]!, hints[.nextPage]!]
        case .finished, .cancelled: own = [KeyHint("r", "run again"), hints[.saveWeights]!, hints[.nextPage]!, hints[.scrollDown]!]
        }
        return (own + back).map { ($0.key, $0.what) }
    }

    // MARK: - Before a run

    private static func drawIntro(_ e: ExperimentState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let c = e.configuration
        var text = """
        **The experiment: Flatten against global pooling**

        The article's backbone (Conv2D 32, 32 \(theme.arrow) MaxPool \(theme.arrow) BatchNorm \(theme.arrow) \
        Conv2D 64, 64 \(theme.arrow) MaxPool \(theme.arrow) BatchNorm, momentum 0.9 for a short run), scaled to \
        32\(theme.times)32 grayscale, trains twice \
        on the same batches: once with `Flatten` \(theme.arrow) `Dropout` \(theme.arrow) `Dense 64` \(theme.arrow) \
        `Dense 32` \(theme.arrow) `Dense 10`, once with `GlobalAveragePooling2D` \(theme.arrow) `Dropout` \(theme.arrow) `Dense 10`.

        \(introData(e)) Afterwards both heads meet \(c.dataPath == nil ? "shapes near the" : "images moved towards the") \
        **edges** and images of **\(c.largeCanvases.map { "\($0)\(theme.times)\($0)" }.joined(separator: " and "))** pixels.

        Data: \(ExperimentSettings.dataName(c)) (`:data DIR` reads MNIST, CIFAR-10 or class folders). \
        Seed \(c.seed), \(KerasFormat.grouped(c.trainCount)) training images. Press **Enter** to start.
        """
        if case .failed(let message) = e.status { text += "\n\n**Error:** \(message)" }
        drawSettings(e, x: rect.x, y: rect.y, width: rect.width, theme: theme, into: &buffer)
        RichText.draw(text, in: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1),
                      theme: theme, into: &buffer)
    }

    private static func drawWaiting(_ e: ExperimentState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let text = e.status == .cancelled ? "The run was cancelled: no final results. Press r to run again."
            : "The results appear when training is over."
        buffer.put(text, x: rect.x, y: rect.y + 1, style: theme.muted, maxWidth: rect.width)
    }

    // MARK: - Header

    /// Status, progress bars, one line per head, and the page tabs.
    private static func drawHeader(_ e: ExperimentState, _ p: ExperimentProgress, in rect: Rect, y: inout Int,
                                   theme: Theme, into buffer: inout ScreenBuffer) {
        let c = e.running ?? e.configuration
        let title = "Flatten head vs GAP head \(theme.dot) \(ExperimentSettings.dataName(c)) \(theme.dot) seed \(c.seed)"
        buffer.put(title, x: rect.x, y: y, style: CellStyle(bold: true), maxWidth: rect.width)
        let (statusText, statusStyle) = status(e, theme: theme)
        if rect.width - title.count > statusText.count + 2 {
            buffer.put(statusText, x: rect.maxX - statusText.count, y: y, style: statusStyle)
        }
        y += 1

        // Epoch and batch bars share the line; each gets a third of the width.
        let barWidth = max(4, (rect.width - 40) / 2)
        var x = buffer.put("epoch \(p.epoch)/\(p.epochs) ", x: rect.x, y: y)
        x = drawBar(p.fraction, x: x, y: y, width: barWidth, theme: theme, into: &buffer)
        x = buffer.put("  batch \(p.batch)/\(p.batchesPerEpoch) ", x: x, y: y)
        x = drawBar(Double(p.batch) / Double(max(p.batchesPerEpoch, 1)), x: x, y: y, width: barWidth,
                    theme: theme, into: &buffer)
        buffer.put("  " + KerasFormat.percent(p.fraction, decimals: 0).leftPadded(4), x: x, y: y, maxWidth: rect.maxX - x)
        y += 1
        drawSettings(e, x: rect.x, y: y, width: rect.width, theme: theme, into: &buffer)
        y += 1

        for (i, head) in p.heads.enumerated() {
            var spans = [Span(theme.caps.unicode ? "■ " : "\(mark(i)) ", theme.series(i)),
                         Span(head.head.title.padding(toLength: 13, withPad: " ", startingAt: 0), CellStyle(bold: true)),
                         Span(KerasFormat.grouped(head.params).leftPadded(8) + " params  ", .plain),
                         Span("~" + KerasFormat.shortBytes(head.peakMemoryBytes) + "  ", theme.muted)]
            if let stop = head.stopped {
                spans.append(Span("stopped: " + stop.message, theme.error))
            } else {
                let loss = head.batchLosses.isEmpty ? "-" : KerasFormat.fixed(head.runningLoss, decimals: 3)
                let acc = head.batchLosses.isEmpty ? "-" : KerasFormat.percent(head.runningAccuracy)
                spans.append(Span("loss \(loss)  acc \(acc)  ", .plain))
                spans.append(Span("\(KerasFormat.fixed(head.imagesPerSecond, decimals: 0)) img/s", theme.muted))
            }
            buffer.put(spans, x: rect.x, y: y, maxWidth: rect.width)
            y += 1
        }

        var tx = rect.x
        for page in ExperimentState.Page.allCases {
            var style = theme.muted
            if page == e.page { style = CellStyle(bold: true, reverse: true) }
            tx = buffer.put(" \(page.title) ", x: tx, y: y, style: style) + 1
        }
        buffer.put("Tab switches", x: tx + 1, y: y, style: theme.muted, maxWidth: rect.maxX - tx - 1)
        y += 1
    }

    /// The settings line: each setting with its keys; `next run` when they differ from the run shown.
    private static func drawSettings(_ e: ExperimentState, x: Int, y: Int, width: Int, theme: Theme,
                                     into buffer: inout ScreenBuffer) {
        let c = e.configuration
        var spans: [Span] = []
        let changed = e.running.map { $0 != c } ?? false
        if changed { spans.append(Span("next run: ", theme.warning)) }
        for (i, phrase) in ExperimentSettings.phrases(c, times: theme.times).enumerated() {
            if i > 0 { spans.append(Span("  ", .plain)) }
            spans.append(Span(phrase.keys.replacingOccurrences(of: " ", with: ""), theme.key))
            spans.append(Span(" " + phrase.text, .plain))
        }
        if changed, e.running?.dataPath != c.dataPath {
            spans.append(Span("  data " + ExperimentSettings.dataName(c), .plain))
        }
        buffer.put(spans, x: x, y: y, maxWidth: width)
    }

    private static func status(_ e: ExperimentState, theme: Theme) -> (String, CellStyle) {
        switch e.status {
        case .idle: return ("", .plain)
        case .running:
            return (e.progress?.phase == .evaluating ? "measuring" : "training", theme.warning)
        case .paused: return ("paused", theme.key)
        case .finished:
            if let d = e.result?.divergence ?? e.progress?.divergence { return ("stopped: loss \(d.loss)", theme.error) }
            // A head stopped by a non-finite value (its message names the layer) is a failure, not a result.
            let heads = e.progress?.heads ?? []
            let stopped = heads.filter { $0.stopped != nil }.count
            if stopped > 0, stopped == heads.count { return ("failed: every head stopped", theme.error) }
            if stopped > 0 { return ("finished; \(stopped) head stopped", theme.warning) }
            return ("finished", theme.good)
        case .cancelled: return ("cancelled", theme.error)
        case .failed: return ("failed", theme.error)
        }
    }

    @discardableResult
    private static func drawBar(_ fraction: Double, x: Int, y: Int, width: Int, theme: Theme,
                                into buffer: inout ScreenBuffer) -> Int {
        let filled = Bar.text(fraction, width: width, unicode: theme.caps.unicode)
        let rest = String(repeating: theme.caps.unicode ? "░" : "-", count: max(0, width - filled.count))
        let after = buffer.put(filled, x: x, y: y, style: theme.code)
        buffer.put(rest, x: after, y: y, style: theme.muted)
        return x + width
    }

    private static func mark(_ i: Int) -> Character { i == 0 ? "F" : "G" }

    // MARK: - Curves

    /// Loss (log scale) and accuracy per batch, both heads on each plot.
    private static func drawCurves(_ p: ExperimentProgress, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        guard rect.height >= 4 else { return }
        let (plots, footer) = rect.splitBottom(min(p.heads.count, rect.height - 3))
        let half = plots.width / 2
        let (left, right) = plots.splitLeft(half)
        let total = Double(max(p.epochs * p.batchesPerEpoch - 1, 1))
        let losses = p.heads.flatMap(\.batchLosses).filter { $0 > 0 && $0.isFinite }
        let lo = max((losses.min() ?? 0.01) * 0.8, 1e-4), hi = max((losses.max() ?? 2.5) * 1.2, lo * 10)
        drawPlot(title: "training loss (log)", series: p.heads.enumerated().map { i, h in
            Plot.Series(name: h.head.title, points: h.batchLosses.enumerated().map { (Double($0), $1) }, mark: mark(i))
        }, x: 0...total, y: lo...hi, log: true, labels: (short(hi), short(lo)), in: left, theme: theme, into: &buffer)
        drawPlot(title: "training accuracy (8-batch mean)", series: p.heads.enumerated().map { i, h in
            Plot.Series(name: h.head.title, points: smoothed(h.batchAccuracies, 8).enumerated().map { (Double($0), $1) },
                        mark: mark(i))
        }, x: 0...total, y: 0...1, log: false, labels: ("100%", "0%"), in: Rect(x: right.x + 1, y: right.y,
                                                                                     width: right.width - 1, height: right.height),
           theme: theme, into: &buffer)
        for (i, head) in p.heads.enumerated() {
            var spans = [Span("\(mark(i)) test accuracy by epoch: ", theme.series(i))]
            spans.append(Span(head.epochs.isEmpty ? "after the first epoch"
                : head.epochs.map { KerasFormat.percent($0.testAccuracy) }.joined(separator: "  "),
                head.epochs.isEmpty ? theme.muted : .plain))
            buffer.put(spans, x: footer.x, y: footer.y + i, maxWidth: footer.width)
        }
    }

    private static func drawPlot(title: String, series: [Plot.Series], x: ClosedRange<Double>, y: ClosedRange<Double>,
                                 log: Bool, labels: (String, String), in rect: Rect, theme: Theme,
                                 into buffer: inout ScreenBuffer) {
        guard rect.height >= 3, rect.width >= 12 else { return }
        buffer.put(title, x: rect.x, y: rect.y, style: theme.header, maxWidth: rect.width)
        let area = Rect(x: rect.x + 6, y: rect.y + 1, width: rect.width - 6, height: rect.height - 1)
        buffer.put(labels.0.leftPadded(5), x: rect.x, y: area.y, style: theme.muted)
        buffer.put(labels.1.leftPadded(5), x: rect.x, y: area.maxY - 1, style: theme.muted)
        for row in area.y..<area.maxY { buffer.put(theme.caps.unicode ? "│" : "|", x: area.x - 1, y: row, style: theme.muted) }
        Plot(series: series, xRange: x, yRange: y, logY: log).draw(in: area, theme: theme, into: &buffer)
    }

    /// Each value replaced by the mean of it and the `window − 1` before it.
    static func smoothed(_ values: [Double], _ window: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(values.count)
        var sum = 0.0
        for (i, v) in values.enumerated() {
            sum += v
            if i >= window { sum -= values[i - window] }
            out.append(sum / Double(min(i + 1, window)))
        }
        return out
    }

    /// A loss for an axis label: `2.3`, `0.05`, `0.001`.
    static func short(_ x: Double) -> String {
        KerasFormat.fixed(x, decimals: x >= 1 ? 1 : x >= 0.01 ? 2 : 3)
    }

    // MARK: - Results

    private static func drawResults(_ r: ExperimentResult, scroll: Int, in rect: Rect, theme: Theme,
                                    into buffer: inout ScreenBuffer) {
        let heads = r.heads
        var rows: [(String, [Span])] = []
        func row(_ label: String, _ cells: [String], best: Int? = nil) {
            rows.append((label, []))
            var spans: [Span] = []
            for (i, cell) in cells.enumerated() {
                let style = best == i ? theme.good : CellStyle.plain
                spans.append(Span(cell.leftPadded(16), style))
            }
            rows[rows.count - 1].1 = spans
        }
        func better(_ values: [Double?], higher: Bool) -> Int? {
            let known = values.enumerated().compactMap { i, v in v.map { (i, $0) } }
            guard known.count == values.count, Set(known.map(\.1)).count > 1 else { return nil }
            return (higher ? known.max { $0.1 < $1.1 } : known.min { $0.1 < $1.1 })?.0
        }
        row("parameters", heads.map { KerasFormat.grouped($0.params) },
            best: better(heads.map { Double($0.params) }, higher: false))
        row("  in the head", heads.map { KerasFormat.grouped($0.headParams) })
        row("peak memory (est.)", heads.map { KerasFormat.shortBytes($0.peakMemoryBytes) },
            best: better(heads.map { Double($0.peakMemoryBytes) }, higher: false))
        row("final train loss/acc", heads.map { h in
            h.epochs.last.map { ReportText.lossAndAccuracy($0.trainLoss, $0.trainAccuracy) } ?? "-"
        })
        let chance = ExperimentView.chance(classes: r.dataset.classes.count)
        let accuracyText: (Double) -> String = { ExperimentView.accuracyText($0, chance: chance) }
        row("test accuracy", heads.map { $0.finalTestAccuracy.map(accuracyText) ?? "-" },
            best: better(heads.map(\.finalTestAccuracy), higher: true))
        row("shifted accuracy", heads.map { $0.shifted.map { accuracyText($0.accuracy) } ?? "-" },
            best: better(heads.map { $0.shifted?.accuracy }, higher: true))
        for canvas in r.configuration.largeCanvases {
            row("\(canvas)\(theme.times)\(canvas) accuracy", heads.map { h in
                guard let l = h.large.first(where: { $0.canvas == canvas }) else { return "-" }
                return l.evaluation.map { accuracyText($0.accuracy) } ?? "shape error"
            })
        }
        row("images / s", r.timings.heads.map { KerasFormat.fixed($0.imagesPerSecond, decimals: 0) })
        row("time / epoch", r.timings.heads.map { t in
            t.epochSeconds.isEmpty ? "-" : KerasFormat.fixed(t.epochSeconds.reduce(0, +) / Double(t.epochSeconds.count), decimals: 1) + " s"
        })

        var y = rect.y
        // Chance heads the table, so no accuracy below reads as a success by itself.
        var header = [Span("guessing: \(KerasFormat.percent(chance))".padding(toLength: 20, withPad: " ", startingAt: 0), theme.muted)]
        for (i, h) in heads.enumerated() { header.append(Span(h.head.title.leftPadded(16), theme.series(i))) }
        buffer.put(header, x: rect.x, y: y, maxWidth: rect.width)
        y += 1
        for (label, cells) in rows where y < rect.maxY {
            var x = buffer.put(label.padding(toLength: 20, withPad: " ", startingAt: 0), x: rect.x, y: y, maxWidth: rect.width)
            x = buffer.put(cells, x: x, y: y, maxWidth: rect.maxX - x)
            y += 1
        }

        // The teaching moment: why the Flatten head can't take a larger image.
        var notes: [[Span]] = []
        for h in heads {
            if let stop = h.stopped { notes.append([Span("\(h.head.title) stopped: \(stop.message)", theme.error)]) }
            if let failed = h.large.first(where: { $0.evaluation == nil && $0.error != nil }) {
                notes.append([Span("\(h.head.title) on \(failed.canvas)\(theme.times)\(failed.canvas): ", CellStyle(bold: true)),
                              Span(failed.error ?? "", theme.error)])
                if let why = failed.explanation { notes.append([Span(why, theme.muted)]) }
            } else if let ran = h.large.last(where: { $0.evaluation != nil }), let why = ran.explanation {
                notes.append([Span("\(h.head.title) on \(ran.canvas)\(theme.times)\(ran.canvas): ", CellStyle(bold: true)),
                              Span(why, theme.muted)])
                if let accuracy = ran.evaluation?.accuracy {
                    // Running is not the same as working: say how it compares with guessing.
                    let verdict = accuracy < chance + chanceMargin
                        ? "It runs, but scores \(KerasFormat.percent(accuracy)): no better than guessing (\(KerasFormat.percent(chance)))."
                        : "It runs and scores \(KerasFormat.percent(accuracy)), against \(KerasFormat.percent(chance)) for guessing."
                    notes.append([Span(verdict, theme.muted)])
                }
            }
        }
        var lines: [[Span]] = []
        for note in notes {
            let text = note.map(\.text).joined()
            let wrapped = ReportText.wrap(text, width: rect.width)
            // Keep the first span's style for its words: the label, then the rest.
            for (k, line) in wrapped.enumerated() {
                if k == 0, note.count > 1, line.hasPrefix(note[0].text) {
                    lines.append([note[0], Span(String(line.dropFirst(note[0].text.count)), note[1].style)])
                } else {
                    lines.append([Span(line, note.count > 1 ? note[1].style : note[0].style)])
                }
            }
        }
        guard y + 1 < rect.maxY, !lines.isEmpty else { return }
        y += 1
        // The notes scroll (j/k) when they don't fit under the table.
        let fits = lines.count <= rect.maxY - y
        let room = fits ? lines.count : max(1, rect.maxY - y - 1)
        let scroll = max(0, min(scroll, lines.count - room))
        for (k, line) in lines.dropFirst(scroll).prefix(room).enumerated() {
            buffer.put(line, x: rect.x, y: y + k, maxWidth: rect.width)
        }
        if !fits {
            let dash = theme.caps.unicode ? "–" : "-"
            let hint = "j/k scroll \(theme.dot) lines \(scroll + 1)\(dash)\(scroll + room) of \(lines.count)"
            buffer.put(hint, x: rect.maxX - hint.count, y: rect.maxY - 1, style: theme.muted)
        }
    }

    /// The accuracy of guessing among `classes` classes.
    static func chance(classes: Int) -> Double { 1 / Double(max(classes, 1)) }

    /// What the intro says about the images and guessing: the shapes' class
    /// count, or a dataset's once a run has read it.
    static func introData(_ e: ExperimentState) -> String {
        if e.configuration.dataPath == nil {
            let n = Glyph.allCases.count
            return "The images are \(n) synthetic shapes near the centre, so guessing scores "
                + "\(KerasFormat.percent(chance(classes: n)))."
        }
        if let r = e.result, r.configuration.dataPath == e.configuration.dataPath {
            let n = r.dataset.classes.count
            return "The images are \(r.dataset.name)'s, in \(n) classes, so guessing scores "
                + "\(KerasFormat.percent(chance(classes: n)))."
        }
        return "The images are read from the data folder when the run starts; guessing scores one over its class count."
    }
    /// How close to chance an accuracy counts as guessing.
    static let chanceMargin = 0.05

    /// An accuracy, marked when it is no better than guessing.
    static func accuracyText(_ accuracy: Double, chance: Double) -> String {
        KerasFormat.percent(accuracy) + (accuracy < chance + chanceMargin ? " (chance)" : "")
    }

    // MARK: - Examples

    /// A grid of images: the split and true class, then each head's guess.
    private static func drawExamples(_ r: ExperimentResult, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let examples = r.examples
        guard !examples.isEmpty, rect.height >= 6 else { return }
        let marks = "\(theme.caps.unicode ? "✓/✗" : "+/x") right/wrong"
        let legend = "T test (near the centre) \(theme.dot) E shifted (near the edges) \(theme.dot) "
            + "48, 64 larger images \(theme.dot) " + marks
        // At 80 columns the full legend would lose its last entry.
        let short = "T test (centre) \(theme.dot) E shifted (edges) \(theme.dot) 48, 64 larger \(theme.dot) " + marks
        buffer.put(DisplayWidth.columns(legend) <= rect.width ? legend : short, x: rect.x, y: rect.y, style: theme.muted,
                   maxWidth: rect.width)
        let grid = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let captions = 1 + r.heads.count
        // The largest images for which the whole grid fits; a cell is twice as
        // wide as it is tall, so 2n columns by n rows looks square.
        var imageRows = 2, columns = 1, cellWidth = 12
        for rows in stride(from: 8, through: 2, by: -1) {
            let width = max(rows * 2, 12) + 1
            let cols = max(1, min(examples.count, grid.width / width))
            let gridRows = (examples.count + cols - 1) / cols
            if gridRows * (rows + captions) <= grid.height || rows == 2 {
                (imageRows, columns, cellWidth) = (rows, cols, width)
                break
            }
        }
        let imageCols = imageRows * 2
        let pixelRange: ClosedRange<Float> = 0...1
        for (k, example) in examples.enumerated() {
            let gx = k % columns, gy = k / columns
            let x = grid.x + gx * cellWidth, y = grid.y + gy * (imageRows + captions)
            guard y + imageRows + captions <= grid.maxY else { break }
            Heatmap.draw(example.pixels, rows: example.height, cols: example.side,
                         in: Rect(x: x, y: y, width: imageCols, height: imageRows), range: pixelRange,
                         caps: theme.caps, into: &buffer)
            let names = r.dataset.classes
            let name = names.indices.contains(example.label) ? names[example.label] : "?"
            let tag = example.split == "test" ? "T" : example.split == "shifted" ? "E" : "\(example.side)"
            buffer.put("\(tag) \(name)", x: x, y: y + imageRows, style: CellStyle(bold: true), maxWidth: cellWidth - 1)
            for (h, prediction) in example.predictions.enumerated() {
                let yy = y + imageRows + 1 + h
                guard let prediction else {
                    buffer.put("\(mark(h)) can't run", x: x, y: yy, style: theme.error, maxWidth: cellWidth - 1)
                    continue
                }
                let right = prediction.label == example.label
                let sign = right ? (theme.caps.unicode ? "✓" : "+") : (theme.caps.unicode ? "✗" : "x")
                let guess = names.indices.contains(prediction.label) ? names[prediction.label] : "?"
                buffer.put([Span("\(mark(h)) ", theme.series(h)), Span("\(sign) \(guess)", right ? theme.good : theme.error)],
                           x: x, y: yy, maxWidth: cellWidth - 1)
            }
        }
    }
}

extension String {
    /// The string right-aligned in `width` columns (unchanged when longer).
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
