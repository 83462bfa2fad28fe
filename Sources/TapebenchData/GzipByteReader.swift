#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CIsal
import TapebenchCore

/// Streams the decompressed bytes of a gzip file through ISA-L's inflate, without libarchive: a day file
/// is one plain `.gz`, and ISA-L inflates it two to three times faster than zlib, with none of libarchive's
/// filter layers and copies. Memory is the two buffers and the inflate state (about 400 KiB), whatever the
/// file size. Members written one after another (`cat a.gz b.gz`) are read as one stream; bytes after the
/// last member that do not start another are ignored, as libarchive and gzip do.
final class GzipByteReader {
    static let defaultOutputSize = 1 << 18
    var inputSize: Int { buffers.inputSize }
    var outputSize: Int { buffers.outputSize }

    let path: String
    private let file: InputFile
    private let buffers: InflateBuffers
    private var state: UnsafeMutablePointer<inflate_state> { buffers.state }
    private var input: UnsafeMutablePointer<UInt8> { buffers.input }
    private var output: UnsafeMutablePointer<UInt8> { buffers.output }
    private var fileEnded = false
    /// Bytes of the file read so far: at its size (when opened) the file has ended, without a last `read`
    /// to be told so.
    private var offset: Int64 = 0
    /// Bytes of the file already at the start of the input buffer (read to see the gzip magic).
    private var preloaded = 0
    /// Input read but not yet handed to ISA-L: it follows `next_in + avail_in` in the input buffer. ISA-L
    /// inflates all the input it is given, into a buffer of its own past a small output block: a reader
    /// of small blocks (the listing's header probe: 512 bytes) hands it the input a step at a time
    /// (`InflateBuffers.inputStep`) until the block is full, so that a file's first line costs the few
    /// hundred bytes that make its first block, not the kilobyte read (about 5 KB inflated per day file).
    private var held = 0
    /// Input read and not yet inflated: what ISA-L was handed and has left, and what is held back.
    private var unread: Int { Int(state.pointee.avail_in) + held }

    /// Whether `file` starts like a gzip member: magic 1f 8b and method 8 (deflate), the test libarchive's
    /// gzip filter makes. The descriptor's offset is left at 0.
    static func isGzip(_ file: InputFile) -> Bool {
        var head: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &head) { pread(file.descriptor, $0.baseAddress, 3, 0) }
        return count == 3 && head == (0x1f, 0x8b, 8)
    }

    convenience init(file: InputFile, outputSize: Int = GzipByteReader.defaultOutputSize) {
        self.init(file: file, buffers: InflateBuffers(outputSize: outputSize))
    }

    /// Reading through `buffers`, which a stream of files shares (one file at a time): every file starts
    /// from `isal_inflate_init` and a refill, so nothing of the file before is read. `preloaded`: the file's
    /// first bytes, already at the start of `buffers.input` (`readHead`).
    init(file: InputFile, buffers: InflateBuffers, preloaded: Int = 0) {
        self.file = file
        path = file.path
        self.buffers = buffers
        self.preloaded = preloaded
        offset = Int64(preloaded)
        fileEnded = preloaded > 0 && offset >= file.size
    }

    /// Reads the start of `file` into `buffers.input` (as much as it holds): one `read` where a check of the
    /// magic took a `pread` of its own before the first block was read. Returns how many bytes, and whether
    /// they start like a gzip member (`isGzip`).
    static func readHead(_ file: InputFile, into buffers: InflateBuffers) throws -> (count: Int, isGzip: Bool) {
        var filled = 0
        while filled < buffers.inputSize, Int64(filled) < file.size {
            let count = read(file.descriptor, buffers.input + filled, buffers.inputSize - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(file: file.path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            filled += count
        }
        let head = buffers.input
        return (filled, filled >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8)
    }

    /// Calls `body` with successive blocks of decompressed bytes until the end of the last member.
    func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        _ = try forEachBlock(until: { try body($0); return true })
    }

    /// `forEachBlock` until `body` returns false; returns whether the stream was read to its end.
    func forEachBlock(until body: (UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        isal_inflate_init(state)
        // Shared buffers may hold the file before's input: none of it is carried into this one, only the
        // file's own first bytes when they were read to see its magic.
        state.pointee.next_in = preloaded > 0 ? input : nil
        state.pointee.avail_in = UInt32(preloaded)
        held = 0
        preloaded = 0
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        try refill()
        if fileEnded, held == 0, let ended = try inflateWhole(body) { return ended }
        while true {
            if unread == 0, !fileEnded { try refill() }
            let before = unread
            state.pointee.next_out = output
            state.pointee.avail_out = UInt32(outputSize)
            // The block is what one call made of all the input read (stepped: of the same input, a step at
            // a time, until the block is full or the member ends).
            var status = isal_inflate(state)
            while status >= 0, held > 0, state.pointee.avail_out > 0, state.pointee.block_state != ISAL_BLOCK_FINISH {
                handOverStep()
                status = isal_inflate(state)
            }
            guard status >= 0 else { throw corrupt(Self.reason(status)) }
            let produced = outputSize - Int(state.pointee.avail_out)
            if produced > 0, !(try body(UnsafeRawBufferPointer(start: output, count: produced))) { return false }
            if state.pointee.block_state == ISAL_BLOCK_FINISH {
                guard try nextMemberFollows() else { return true }
                isal_inflate_reset(state)
                state.pointee.crc_flag = UInt32(ISAL_GZIP)
            } else if produced == 0, unread == before {
                // No progress: with all the input there is, the stream stops inside a member; with a full
                // buffer, inflate is stuck (never seen, but a loop must not spin).
                if fileEnded { throw corrupt("truncated gzip input") }
                if before == inputSize { throw corrupt("gzip decompression made no progress") }
                try refill()
            }
        }
    }

    /// A file read whole into the input buffer (a day file of the peers tape is 6 KB), of one member whose text
    /// fits the output block, inflated by one stateless call: the streaming call copies the last 32 KiB of its
    /// output into a history buffer of its own after each call (25 k instructions a peers day file), the
    /// stateless one keeps none. The block handed over is the one the streaming call made: the whole text.
    /// Nil, with the state back at the start of the file, for any other file (more than one member, a text
    /// larger than the block, damage of any kind): the streaming path reads it, and reports it in its own words.
    private func inflateWhole(_ body: (UnsafeRawBufferPointer) throws -> Bool) throws -> Bool? {
        let (start, count) = (state.pointee.next_in, state.pointee.avail_in)
        state.pointee.next_out = output
        state.pointee.avail_out = UInt32(outputSize)
        let status = isal_inflate_stateless(state)
        let anotherMember = state.pointee.avail_in >= 2 && state.pointee.next_in.map { $0[0] == 0x1f && $0[1] == 0x8b } ?? false
        guard status == ISAL_DECOMP_OK, !anotherMember else {
            isal_inflate_init(state)
            state.pointee.next_in = start
            state.pointee.avail_in = count
            state.pointee.crc_flag = UInt32(ISAL_GZIP)
            return nil
        }
        let produced = outputSize - Int(state.pointee.avail_out)
        if produced > 0, !(try body(UnsafeRawBufferPointer(start: output, count: produced))) { return false }
        return true
    }

    /// After a member's end: whether another member starts in what is left (refilling to see two bytes).
    private func nextMemberFollows() throws -> Bool {
        if unread < 2, !fileEnded { try refill() }
        guard unread >= 2, let next = state.pointee.next_in else { return false }
        return next[0] == 0x1f && next[1] == 0x8b
    }

    /// Moves the unread input to the front of the buffer and reads the file after it.
    private func refill() throws {
        let left = unread
        if left > 0, let next = state.pointee.next_in, next != input { memmove(input, next, left) }
        var filled = left
        while filled < inputSize, !fileEnded {
            let count = read(file.descriptor, input + filled, inputSize - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { fileEnded = true } else {
                filled += count
                offset += Int64(count)
                if offset >= file.size { fileEnded = true }
            }
        }
        state.pointee.next_in = input
        state.pointee.avail_in = 0
        held = filled
        handOverStep()
    }

    /// Hands ISA-L the next step of the input held back (all of it when the reader does not step).
    private func handOverStep() {
        let step = min(held, buffers.inputStep)
        state.pointee.avail_in += UInt32(step)
        held -= step
    }

    private func corrupt(_ reason: String) -> InputError {
        InputError(file: path, message: "corrupt or truncated data: \(reason)")
    }

    static func reason(_ status: Int32) -> String {
        switch status {
        case ISAL_INVALID_BLOCK: return "gzip decompression failed (invalid deflate block)"
        case ISAL_INVALID_SYMBOL: return "gzip decompression failed (invalid deflate symbol)"
        case ISAL_INVALID_LOOKBACK: return "gzip decompression failed (invalid back-reference distance)"
        case ISAL_INVALID_WRAPPER: return "invalid gzip header"
        case ISAL_UNSUPPORTED_METHOD: return "unsupported gzip compression method"
        case ISAL_INCORRECT_CHECKSUM: return "gzip checksum mismatch (the data is damaged)"
        default: return "gzip decompression failed (ISA-L status \(status))"
        }
    }
}

/// The inflate state and buffers of `GzipByteReader`, made once for a stream of files read one after
/// another (1,260 day files on the peers tape made and freed 384 KiB of buffers each).
final class InflateBuffers {
    /// The input buffer: half the output (gzip text inflates 5 to 10 times), at least 4 KiB, unless asked
    /// for a smaller one.
    let inputSize: Int
    let outputSize: Int
    /// The input handed to ISA-L at a time: all of it, unless the output block is smaller than the input
    /// buffer (a header probe's), then a quarter of the block (see `GzipByteReader.held`).
    let inputStep: Int
    let state: UnsafeMutablePointer<inflate_state>
    let input: UnsafeMutablePointer<UInt8>
    let output: UnsafeMutablePointer<UInt8>

    /// `inputSize`: nil for the default. A reader that wants only the first line asks for a small one: ISA-L
    /// inflates all the input it is given (into a buffer of its own when the output is small), so the input
    /// read is what a header probe costs.
    init(outputSize: Int = GzipByteReader.defaultOutputSize, inputSize: Int? = nil) {
        self.outputSize = max(outputSize, 1 << 9)
        self.inputSize = inputSize.map { max($0, 1 << 9) } ?? max(self.outputSize / 2, 1 << 12)
        inputStep = self.outputSize < self.inputSize ? self.outputSize / 4 : self.inputSize
        state = .allocate(capacity: 1)
        input = .allocate(capacity: self.inputSize)
        output = .allocate(capacity: self.outputSize)
    }

    deinit {
        state.deallocate()
        input.deallocate()
        output.deallocate()
    }
}
