using System.Threading.Channels;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>
/// Gathers the readings messages that arrive together, from any devices, into one ingest call:
/// their signatures are checked together on every core and stored in one transaction, one
/// fsync, instead of one per message. Each message still gets exactly the outcomes it would
/// have had alone. Two messages of one device never share a group (the second waits for the
/// next), so a message sent again on a new connection while the first is still being stored is
/// answered "duplicate", as over HTTP. Two groups are in flight at a time: one is checked while
/// the other is written.
/// </summary>
internal sealed class MqttIngestQueue : IAsyncDisposable
{
    /// <summary>
    /// Readings in one group at most: enough to share an fsync among many messages, few enough that
    /// one group waits little for the one ahead (bench ingest --transport mqtt, 1,000 devices: the
    /// same readings/s as 50,000 with a shorter PUBACK p99; docs/PERFORMANCE.md).
    /// </summary>
    public const int MaxGroupReadings = 10_000;

    private const int Workers = 2;

    private readonly ReadingIngest _ingest;
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _workers;
    private readonly object _take = new();
    private readonly List<Pending> _deferred = [];

    private sealed record Pending(Address Device, IngestItem[] Items, int Readings, TaskCompletionSource<ReadingOutcome[]> Done);

    public MqttIngestQueue(ReadingIngest ingest)
    {
        _ingest = ingest;
        _workers = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>The outcome of each reading of the message, once the accepted ones are durable.</summary>
    public Task<ReadingOutcome[]> IngestAsync(Address device, IngestItem[] items)
    {
        var done = new TaskCompletionSource<ReadingOutcome[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new Pending(device, items, items.Sum(i => Math.Max(1, i.Readings.Length)), done);
        if (!_channel.Writer.TryWrite(pending))
        {
            done.SetException(new ObjectDisposedException(nameof(MqttIngestQueue), "the node is stopping"));
        }
        return done.Task;
    }

    private async Task WorkAsync()
    {
        while (true)
        {
            bool deferred;
            lock (_take)
            {
                deferred = _deferred.Count > 0;
            }
            if (!deferred && !await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return;
            }
            var group = Take();
            if (group.Count == 0)
            {
                continue;
            }
            var items = new List<IngestItem>(group.Sum(p => p.Items.Length));
            foreach (var pending in group)
            {
                items.AddRange(pending.Items);
            }
            ReadingOutcome[] outcomes;
            try
            {
                outcomes = await _ingest.IngestAsync(items).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }
                continue;
            }
            Split(group, outcomes);
        }
    }

    /// <summary>The next group: deferred messages first, then what is queued, one message per device, up to the reading limit.</summary>
    private List<Pending> Take()
    {
        lock (_take)
        {
            var group = new List<Pending>();
            var devices = new HashSet<Address>();
            var readings = 0;
            var stillDeferred = new List<Pending>();
            foreach (var pending in _deferred)
            {
                if (readings > 0 && readings + pending.Readings > MaxGroupReadings || !devices.Add(pending.Device))
                {
                    stillDeferred.Add(pending);
                    continue;
                }
                group.Add(pending);
                readings += pending.Readings;
            }
            _deferred.Clear();
            _deferred.AddRange(stillDeferred);
            while (readings < MaxGroupReadings && _channel.Reader.TryRead(out var next))
            {
                if (readings > 0 && readings + next.Readings > MaxGroupReadings || !devices.Add(next.Device))
                {
                    _deferred.Add(next);
                    break;
                }
                group.Add(next);
                readings += next.Readings;
            }
            return group;
        }
    }

    /// <summary>Hands each message its own outcomes, numbered by its own items.</summary>
    private static void Split(List<Pending> group, ReadingOutcome[] outcomes)
    {
        var position = 0;
        var firstItem = 0;
        foreach (var pending in group)
        {
            var mine = new List<ReadingOutcome>();
            var end = firstItem + pending.Items.Length;
            while (position < outcomes.Length && outcomes[position].Item < end)
            {
                var o = outcomes[position++];
                mine.Add(o with { Item = o.Item - firstItem });
            }
            firstItem = end;
            pending.Done.TrySetResult([.. mine]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }
}
