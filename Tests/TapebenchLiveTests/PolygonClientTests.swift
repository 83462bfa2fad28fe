import Foundation
import Testing
import TapebenchCore
import TapebenchLive

@Suite("Polygon REST client against the loopback mock")
struct PolygonClientTests {
    @Test("follows next_url across three pages (300/300/228 bars), asking the base URL with the key in a header only")
    func pagination() throws {
        let folder = try temporaryFolder()
        let mock = try startMock("{}", folder: folder)
        let clock = ManualWallClock(start: sessionOpen)
        let got = try client(mock, clock: clock).minuteAggregates(ticker: "SPY", from: "2013-10-07", to: "2013-10-07")
        #expect(got.bars.count == 828)
        #expect(got.pages == 3)
        #expect(!got.delayed)
        #expect(got.bars.first?.start == Timestamp(milliseconds: 1_381_132_800_000))
        #expect(got.bars.last?.start == Timestamp(milliseconds: 1_381_190_340_000))
        let requests = mock.requests()
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.authorization == "Bearer \(secretKey)" && !$0.path.contains(secretKey) })
        #expect(requests[0].path == "/v2/aggs/ticker/SPY/range/1/minute/2013-10-07/2013-10-07?adjusted=true&sort=asc&limit=50000")
        #expect(requests[1].path.hasSuffix("cursor=300"))
    }

    @Test("a 429 with Retry-After: 7 waits at least 7 s (on the injected clock) and then succeeds")
    func retryAfter() throws {
        let folder = try temporaryFolder()
        let mock = try startMock(#"{"faults": {"SPY": [{"status": 429, "retry_after": 7}]}}"#, folder: folder)
        let clock = ManualWallClock(start: sessionOpen)
        let polygon = try client(mock, clock: clock)
        let got = try polygon.minuteAggregates(ticker: "SPY", from: "2013-10-07", to: "2013-10-07")
        #expect(got.bars.count == 828)
        #expect(polygon.retries == 1)
        #expect(clock.now().nanoseconds - sessionOpen.nanoseconds >= 7_000_000_000)
    }

    @Test("a 503 and a connection cut in the middle of the body are both tried again")
    func serverErrorAndCut() throws {
        let folder = try temporaryFolder()
        let mock = try startMock(#"{"faults": {"SPY": [{"status": 503}, {"cut": true}]}}"#, folder: folder)
        let polygon = try client(mock, clock: ManualWallClock(start: sessionOpen))
        let got = try polygon.minuteAggregates(ticker: "SPY", from: "2013-10-07", to: "2013-10-07")
        #expect(got.bars.count == 828)
        #expect(polygon.retries == 2)
        #expect(polygon.requests == 5)  // 503, cut, then the three pages
    }

    @Test("gives up after the bounded tries, in one line naming the URL and the status")
    func boundedTries() throws {
        let folder = try temporaryFolder()
        let mock = try startMock(#"{"faults": {"SPY": [{"status": 502}, {"status": 502}, {"status": 502}, {"status": 502}]}}"#, folder: folder)
        let clock = ManualWallClock(start: sessionOpen)
        let polygon = try client(mock, clock: clock, attempts: 3)
        let error = #expect(throws: InputError.self) { try polygon.minuteAggregates(ticker: "SPY", from: "2013-10-07", to: "2013-10-07") }
        #expect(error?.message == "HTTP 502: fault, 3 tries")
        #expect(error?.file.hasPrefix(mock.baseURL + "/v2/aggs/ticker/SPY/") == true)
        #expect(mock.requests().count == 3)
        // Full jitter: two waits, each at most base × 2^(n−1) = 1 s, then 2 s.
        #expect(clock.now().nanoseconds - sessionOpen.nanoseconds <= 3_000_000_000)
    }

    @Test("a 403 is not tried again; its message is shown")
    func forbidden() throws {
        let folder = try temporaryFolder()
        let plan = #"{"faults": {"SPY": [{"status": 403, "body": {"status": "NOT_AUTHORIZED", "request_id": "r", "message": "You are not entitled to this data."}}]}}"#
        let mock = try startMock(plan, folder: folder)
        let error = #expect(throws: InputError.self) {
            try client(mock, clock: ManualWallClock(start: sessionOpen)).minuteAggregates(ticker: "SPY", from: "2013-10-07", to: "2013-10-07")
        }
        #expect(error?.message == "HTTP 403: You are not entitled to this data.")
        #expect(mock.requests().count == 1)
    }

    @Test("the key appears in no error: not when the server echoes it, not in a next_url's apiKey=")
    func keyRedacted() throws {
        let folder = try temporaryFolder()
        // Page 2 (by a next_url carrying apiKey=<key>) fails for good; the first request's error echoes the header.
        let plan = #"{"next_url_key": "\#(secretKey)", "faults": {"SPY": [null, {"status": 500}, {"status": 500}], "BAC": [{"status": 400, "echo_key": true}]}}"#
        let mock = try startMock(plan, folder: folder)
        let clock = ManualWallClock(start: sessionOpen)
        let paged = #expect(throws: InputError.self) { try client(mock, clock: clock, attempts: 2).minuteAggregates(ticker: "SPY", from: "2013-10-07", to: "2013-10-07") }
        let echoed = #expect(throws: InputError.self) { try client(mock, clock: clock).minuteAggregates(ticker: "BAC", from: "2013-10-07", to: "2013-10-07") }
        for error in [paged, echoed] {
            let text = line(of: try #require(error))
            #expect(!text.contains(secretKey), "\(text)")
            #expect(text.contains("REDACTED"), "\(text)")
        }
        #expect(paged?.file.contains("apiKey=REDACTED") == true)
    }

    @Test("DELAYED is accepted and reported; a day without bars is one empty page")
    func delayedAndEmpty() throws {
        let folder = try temporaryFolder()
        let mock = try startMock(#"{"delayed": ["BAC"]}"#, folder: folder)
        let polygon = try client(mock, clock: ManualWallClock(start: sessionOpen))
        let delayed = try polygon.minuteAggregates(ticker: "BAC", from: "2013-10-07", to: "2013-10-07")
        #expect(delayed.delayed)
        #expect(delayed.bars.count == 595)
        let empty = try polygon.minuteAggregates(ticker: "SPY", from: "2013-10-12", to: "2013-10-12")
        #expect(empty.bars.isEmpty)
        #expect(empty.pages == 1)
    }
}

@Suite("Retry policy and redaction")
struct RetryPolicyTests {
    @Test("full jitter: each wait is within [0, min(cap, base × 2^(n−1))], and the same seed draws the same waits")
    func jitter() {
        let policy = RetryPolicy(attempts: 10, baseSeconds: 1, capSeconds: 8, seed: 9)
        var a = Xoshiro256(seed: 9), b = Xoshiro256(seed: 9)
        for attempt in 1...9 {
            let ceiling = min(Int64(8e9), Int64(1e9) << Int64(attempt - 1))
            let wait = policy.backoff(after: attempt, random: &a)
            #expect(wait >= 0 && wait <= ceiling)
            #expect(wait == policy.backoff(after: attempt, random: &b))
        }
    }

    @Test("Retry-After in seconds is read; a date or garbage is not")
    func retryAfter() {
        #expect(RetryPolicy.retryAfter("12") == 12_000_000_000)
        #expect(RetryPolicy.retryAfter(" 0 ") == 0)
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryPolicy.retryAfter("-3") == nil)
        #expect(RetryPolicy.retryAfter(nil) == nil)
    }

    @Test("redaction masks the key anywhere and every apiKey= value")
    func redaction() {
        let r = Redaction(key: "abcd1234")
        #expect(r.apply("x abcd1234 y") == "x REDACTED y")
        #expect(r.apply("https://h/p?cursor=2&apiKey=other&x=1") == "https://h/p?cursor=2&apiKey=REDACTED&x=1")
        #expect(r.apply("APIKEY=zzz") == "APIKEY=REDACTED")
        #expect(r.apply("no key here") == "no key here")
    }
}
