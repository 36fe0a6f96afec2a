using System.Collections.Concurrent;
using System.Diagnostics;
using ThingLedger.Client;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Cli.Simulation;

/// <summary>Counts of a running simulation.</summary>
internal sealed class FleetCounters
{
    private long _accepted;
    private long _duplicates;
    private long _rejected;

    public long Accepted => Interlocked.Read(ref _accepted);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Rejected => Interlocked.Read(ref _rejected);
    public ConcurrentDictionary<string, long> RejectedByCode { get; } = new(StringComparer.Ordinal);

    public void Add(Client.Contracts.ReadingUploadResponse response)
    {
        Interlocked.Add(ref _accepted, response.Accepted);
        Interlocked.Add(ref _duplicates, response.Duplicates);
        Interlocked.Add(ref _rejected, response.Rejected);
        foreach (var r in response.Results)
        {
            if (r.Code is { } code)
            {
                RejectedByCode.AddOrUpdate(code, 1, static (_, n) => n + 1);
            }
        }
    }
}

/// <summary>Drives a <see cref="Fleet"/>: every tick, uploads what its devices produced, in uploads of at most <see cref="MaxUploadReadings"/>.</summary>
internal static class FleetRunner
{
    public const int MaxUploadReadings = 5_000;

    public static async Task RunAsync(ThingLedgerClient client, Fleet fleet, FleetCounters counters, TimeSpan tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(tick);
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = clock.Elapsed;
            var (singles, batches) = fleet.Tick(now - last, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            last = now;
            await UploadAsync(client, singles, batches, counters, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Uploads readings and device batches in requests of at most <see cref="MaxUploadReadings"/> readings.</summary>
    public static async Task UploadAsync(ThingLedgerClient client, List<SignedReading> singles, List<SignedBatch> batches, FleetCounters counters,
        CancellationToken cancellationToken)
    {
        foreach (var (s, b) in Split(singles, batches))
        {
            counters.Add(await client.UploadReadingsAsync(s, b, onlyRejected: true, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
    }

    private static IEnumerable<(List<SignedReading>, List<SignedBatch>)> Split(List<SignedReading> singles, List<SignedBatch> batches)
    {
        foreach (var chunk in singles.Chunk(MaxUploadReadings))
        {
            yield return ([.. chunk], []);
        }
        var current = new List<SignedBatch>();
        var count = 0;
        foreach (var batch in batches)
        {
            if (count + batch.Readings.Length > MaxUploadReadings && current.Count > 0)
            {
                yield return ([], current);
                current = [];
                count = 0;
            }
            current.Add(batch);
            count += batch.Readings.Length;
        }
        if (current.Count > 0)
        {
            yield return ([], current);
        }
    }
}
