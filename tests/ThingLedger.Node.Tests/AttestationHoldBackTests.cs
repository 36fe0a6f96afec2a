using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Tests;

/// <summary>
/// A consortium peer's attestations against its own clock (a clock that moves only when told):
/// a block dated more than Node:MaxBlockClockSkewMs ahead, and every block after it, waits, in
/// order, until the clock gets there. No etcd is contacted: only attesting is exercised.
/// </summary>
public sealed class AttestationHoldBackTests : IDisposable
{
    private const ulong Now = 1_800_000_000_000;
    private const int SkewMs = 5_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("tl-attest-").FullName;
    private readonly ManualClock _clock = new(Now);
    private readonly LedgerNode _node;

    public AttestationHoldBackTests()
    {
        DevChain.Initialize(_directory, "attest-test", DevChain.SampleOrgs, 1_700_000_000_000);
        _node = new LedgerNode(Options.Create(new NodeOptions
        {
            DataDirectory = _directory,
            Ordering = "etcd",
            EtcdEndpoints = "http://127.0.0.1:1",
            MaxBlockClockSkewMs = SkewMs,
        }), _clock, NullLogger<LedgerNode>.Instance);
    }

    private static BlockHeader Header(ulong height, ulong timestamp) =>
        new("attest-test", height, Hash.Sha256([(byte)height]), timestamp, 0, Hash.Sha256([]), Hash.Sha256([]), Hash.Sha256([(byte)(height + 100)]));

    [Fact]
    public void A_block_within_the_skew_is_attested_at_once()
    {
        Assert.Single(_node.Attest(Header(1, Now + SkewMs)).Attestations);
        Assert.Null(_node.AttestationProblem);
    }

    [Fact]
    public void A_block_ahead_of_the_clock_and_those_after_it_wait_in_order_until_the_clock_gets_there()
    {
        Assert.Empty(_node.Attest(Header(1, Now + SkewMs + 1)).Attestations);
        Assert.Contains("block 1", _node.AttestationProblem, StringComparison.Ordinal);
        // Dated in the past, but after a held-back block: it waits too, so nothing is signed out of order.
        Assert.Empty(_node.Attest(Header(2, Now)).Attestations);
        Assert.Empty(_node.AttestDue());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var due = _node.AttestDue();
        Assert.Equal([1ul, 2ul], due.Select(a => a.Height));
        Assert.Null(_node.AttestationProblem);
        Assert.Single(_node.Attest(Header(3, Now)).Attestations);
    }

    [Fact]
    public void A_block_dated_at_the_end_of_time_is_held_back_not_wrapped_to_the_past()
    {
        Assert.Empty(_node.Attest(Header(1, ulong.MaxValue)).Attestations);
        Assert.NotNull(_node.AttestationProblem);
        _clock.Advance(TimeSpan.FromDays(365));
        Assert.Empty(_node.AttestDue());
        Assert.Empty(_node.Attest(Header(2, Now)).Attestations);
    }

    public void Dispose()
    {
        _node.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class ManualClock(ulong unixMs) : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
