using System.Threading.Channels;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Node.Chain;

/// <summary>
/// Fans committed-block events out to stream subscribers. A slow subscriber loses its oldest
/// events rather than slowing the chain.
/// </summary>
public sealed class EventHub
{
    private readonly object _lock = new();
    private List<Channel<BlockEvent>> _subscribers = [];

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<BlockEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            _subscribers = [.. _subscribers, channel];
        }
        return new Subscription(this, channel);
    }

    public void Publish(BlockEvent e)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Writer.TryWrite(e);
        }
    }

    private void Remove(Channel<BlockEvent> channel)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(c => c != channel)];
        }
        channel.Writer.TryComplete();
    }

    public sealed class Subscription(EventHub hub, Channel<BlockEvent> channel) : IDisposable
    {
        public ChannelReader<BlockEvent> Reader => channel.Reader;

        public void Dispose() => hub.Remove(channel);
    }
}
