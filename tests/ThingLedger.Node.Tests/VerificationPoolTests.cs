using System.Collections.Concurrent;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Tests;

public sealed class VerificationPoolTests
{
    [Fact]
    public async Task Every_index_is_checked_exactly_once()
    {
        using var pool = new VerificationPool(2);
        var hits = new int[1_000];
        await pool.RunAsync(hits.Length, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
        await pool.RunAsync(0, _ => throw new InvalidOperationException("never called"));
    }

    [Fact]
    public async Task Batches_are_served_in_arrival_order()
    {
        using var pool = new VerificationPool(1);
        var order = new ConcurrentQueue<string>();
        using var gate = new ManualResetEventSlim();
        var blocker = pool.RunAsync(1, _ => gate.Wait());
        var first = pool.RunAsync(40, i => order.Enqueue($"a{i}"));
        var second = pool.RunAsync(40, i => order.Enqueue($"b{i}"));
        gate.Set();
        await Task.WhenAll(blocker, first, second);
        var seen = order.ToArray();
        Assert.Equal(80, seen.Length);
        Assert.All(seen[..40], s => Assert.StartsWith("a", s, StringComparison.Ordinal));
        Assert.All(seen[40..], s => Assert.StartsWith("b", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_check_fails_its_batch_only()
    {
        using var pool = new VerificationPool(2);
        var failing = pool.RunAsync(50, i =>
        {
            if (i == 17)
            {
                throw new InvalidOperationException("bad check");
            }
        });
        var fine = pool.RunAsync(50, _ => { });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("bad check", error.Message);
        await fine;
    }
}
