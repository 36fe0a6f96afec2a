using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Ordering;

namespace ThingLedger.Node.Tests;

public sealed class SoloSequencerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tx_that_already_waited_the_interval_is_cut_at_once()
    {
        // While the chain applies a block, txs wait in the queue. The interval counts from their
        // arrival, so the next block is cut as soon as the chain asks, not an interval later.
        var clock = new ManualClock();
        var sequencer = new SoloSequencer(new SoloOptions { BlockInterval = Interval, MaxBlockTxs = 100 }, clock, 0);
        using var key = KeyPair.Generate();
        Assert.Null(await sequencer.Enqueue([Tx(key, 0), Tx(key, 1)]));
        clock.Advance(Interval);

        using var stop = new CancellationTokenSource();
        await using var batches = sequencer.ReadBatchesAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = batches.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(10), stop.Token));

        Assert.Same(next, finished);
        Assert.True(await next);
        Assert.Equal(2, batches.Current.Transactions.Count);
        Assert.Equal(0, sequencer.Pending);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task A_tx_that_has_not_waited_the_interval_is_not_cut_yet()
    {
        var clock = new ManualClock();
        var sequencer = new SoloSequencer(new SoloOptions { BlockInterval = Interval, MaxBlockTxs = 100 }, clock, 0);
        using var key = KeyPair.Generate();
        Assert.Null(await sequencer.Enqueue([Tx(key, 0)]));
        clock.Advance(Interval - TimeSpan.FromSeconds(1));

        using var stop = new CancellationTokenSource();
        await using var batches = sequencer.ReadBatchesAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = batches.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(300), stop.Token));

        Assert.NotSame(next, finished);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    private static Transaction Tx(KeyPair key, ulong nonce) =>
        Transaction.Create("solo-test", "tokens", "transfer", [1, 2, 3], key, nonce, 100);

    /// <summary>A clock that moves only when told; timers are not used by the sequencer's cut rule.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * TimestampFrequency);

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => _ticks;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddSeconds(_ticks / (double)TimestampFrequency);
    }
}
