using ThingLedger.Client.Contracts;

namespace ThingLedger.Node.Chain;

/// <summary>
/// Committed txs and accepted readings per second over the last ten minutes, from samples of the
/// node's counters taken every <see cref="SampleSeconds"/> seconds (GET /v1/rates, the explorer's live charts).
/// </summary>
public sealed class RateHistory
{
    public const int SampleSeconds = 2;
    public const int Capacity = 10 * 60 / SampleSeconds;

    private readonly (long UnixMs, long Txs, long Readings)[] _samples = new (long, long, long)[Capacity + 1];
    private int _count;
    private int _next;

    /// <summary>Adds a sample of the cumulative counters; the oldest falls out once the window is full.</summary>
    public void Record(long unixMs, long committedTxs, long acceptedReadings)
    {
        lock (_samples)
        {
            _samples[_next] = (unixMs, committedTxs, acceptedReadings);
            _next = (_next + 1) % _samples.Length;
            _count = Math.Min(_count + 1, _samples.Length);
        }
    }

    /// <summary>One point per interval between consecutive samples, oldest first.</summary>
    public List<RatePoint> Points()
    {
        lock (_samples)
        {
            var points = new List<RatePoint>(Math.Max(0, _count - 1));
            var first = (_next - _count + _samples.Length) % _samples.Length;
            for (var i = 1; i < _count; i++)
            {
                var a = _samples[(first + i - 1) % _samples.Length];
                var b = _samples[(first + i) % _samples.Length];
                var seconds = Math.Max(1, b.UnixMs - a.UnixMs) / 1000.0;
                points.Add(new RatePoint(b.UnixMs, Math.Round((b.Txs - a.Txs) / seconds, 1), Math.Round((b.Readings - a.Readings) / seconds, 1)));
            }
            return points;
        }
    }
}

/// <summary>Samples the node's counters into <see cref="RateHistory"/> while the node runs.</summary>
internal sealed class RateSampler(LedgerNode node, RateHistory history, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(RateHistory.SampleSeconds), clock);
        do
        {
            history.Record(clock.GetUtcNow().ToUnixTimeMilliseconds(), node.Metrics.CommittedTxs, node.Metrics.ReadingsAccepted);
        }
        while (await Tick(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
