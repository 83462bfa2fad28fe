import Foundation
import TapebenchCore

/// A `BarStream` read on a thread of its own: decompression, parsing, validation and merging run there
/// and hand over batches of bars through a bounded queue, so that on two cores reading overlaps what the
/// consumer does with the bars. The order of bars, the findings and the errors are those of the wrapped
/// stream, exactly (one producer, one consumer, first in first out); an error arrives after the bars
/// read before it. Memory: at most `depth` batches of `batchSize` bars in flight.
///
/// `quality` and `tickers` are final once `next()` has returned nil (before that, `tickers` knows the
/// tickers of the bars handed out so far). Dropping the stream early stops the reading thread.
public final class PipelinedBarStream: BarStream {
    /// Up to depth + 2 batches are alive at once (queued, being filled, being read): at the runner's depth 8,
    /// 4,096 bars a batch held 5 MB at the peak; 1,024 hold about 1.3 MB, and a million bars are still only
    /// about a thousand hand-overs.
    public static let defaultBatchSize = 1024
    public static let defaultDepth = 4

    private let channel: Channel
    /// The batch being handed out. One struct, so that a bar costs one access to the class's storage (each
    /// access to a class's stored property is checked for exclusivity at run time).
    private var cursor = Cursor()
    private var done = false
    public private(set) var quality = DataQualityReport()
    public private(set) var tickers: TickerTable

    public init(_ stream: any BarStream, batchSize: Int = PipelinedBarStream.defaultBatchSize, depth: Int = PipelinedBarStream.defaultDepth) {
        tickers = stream.tickers
        channel = Channel(depth: max(1, depth))
        let channel = self.channel
        let size = max(1, batchSize)
        // The stream moves to the reading thread and is never touched here again.
        let moved = Transfer(stream)
        let thread = Thread {
            var stream = moved.value
            defer { channel.producerExited() }
            while true {
                // Filled by the stream in place (`read(into:)`); the bars read before an error go first.
                var failure: (any Error)?
                var last = false
                let bars = [Bar](unsafeUninitializedCapacity: size) { buffer, initialized in
                    while initialized < size {
                        do {
                            let count = try stream.read(into: UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
                            if count == 0 { last = true; return }
                            initialized += count
                        } catch {
                            failure = error
                            return
                        }
                    }
                }
                guard channel.put(.bars(bars, stream.tickers)) else { return }
                if let failure {
                    _ = channel.put(.failed(failure))
                    return
                }
                if last {
                    _ = channel.put(.end(stream.quality, stream.tickers))
                    return
                }
            }
        }
        thread.name = "tapebench-read"
        thread.start()
    }

    deinit { channel.cancel() }

    public func next() throws -> Bar? {
        if let bar = cursor.next() { return bar }
        while true {
            if done { return nil }
            switch channel.take() {
            case let .bars(bars, table):
                cursor = Cursor(batch: bars)
                tickers = table
                if let bar = cursor.next() { return bar }
            case let .end(report, table):
                quality = report
                tickers = table
                done = true
                return nil
            case let .failed(error):
                done = true
                throw error
            }
        }
    }

    /// The bars left of the batch being handed out, copied into `buffer` (the next batch when none is left).
    public func read(into buffer: UnsafeMutableBufferPointer<Bar>) throws -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        var count = 0
        if cursor.position == cursor.batch.count {
            guard let bar = try next() else { return 0 }
            base.initialize(to: bar)
            count = 1
        }
        let copied = min(buffer.count - count, cursor.batch.count - cursor.position)
        cursor.batch.withUnsafeBufferPointer { batch in
            (base + count).initialize(from: batch.baseAddress! + cursor.position, count: copied)
        }
        cursor.position += copied
        return count + copied
    }

    /// A batch and the position of its next bar.
    struct Cursor {
        var batch: [Bar] = []
        var position = 0

        @inline(__always)
        mutating func next() -> Bar? {
            guard position < batch.count else { return nil }
            defer { position += 1 }
            return batch[position]
        }
    }

    enum Item: Sendable {
        case bars([Bar], TickerTable)
        case end(DataQualityReport, TickerTable)
        case failed(any Error)
    }

    /// The bounded queue between the two threads.
    final class Channel: @unchecked Sendable {  // all state under `condition`
        private let condition = NSCondition()
        /// Items put and not yet taken, oldest first: a taken item leaves the array at once, so the queue
        /// never holds more than `depth` batches (it once kept every taken batch until it ran empty, which
        /// on two busy cores it seldom did: 255 batches, 116 MB, in one replay of 1 M bars).
        private var items: [Item] = []
        private let depth: Int
        private var cancelled = false
        private var producerRunning = true

        init(depth: Int) { self.depth = depth }

        /// Waits for room; false when the consumer is gone (the producer stops).
        func put(_ item: Item) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while items.count >= depth && !cancelled { condition.wait() }
            if cancelled { return false }
            items.append(item)
            condition.broadcast()
            return true
        }

        func take() -> Item {
            condition.lock()
            defer { condition.unlock() }
            while items.isEmpty { condition.wait() }
            // At most `depth` items: moving the rest up is cheaper than any bookkeeping.
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }

        /// How many items the queue holds (taken ones are not held).
        var held: Int {
            condition.lock()
            defer { condition.unlock() }
            return items.count
        }

        func producerExited() {
            condition.lock()
            producerRunning = false
            condition.broadcast()
            condition.unlock()
        }

        /// Stops the producer and waits until it has left its stream.
        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            while producerRunning { condition.wait() }
            items.removeAll()
            condition.unlock()
        }
    }

    /// Moves a value to another thread that alone uses it from then on.
    struct Transfer<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
