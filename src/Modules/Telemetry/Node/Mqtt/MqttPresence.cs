using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ThingLedger.Core.Crypto;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>A device's MQTT presence: its open sessions, since when, and its last message.</summary>
public sealed record MqttDeviceState(IReadOnlyList<string> ClientIds, DateTimeOffset? ConnectedSince, DateTimeOffset? LastMessage);

/// <summary>
/// Which devices are connected over MQTT and what the broker did: connections, messages by
/// outcome, refusals by code and PUBACK latency, for <c>/metrics</c> and the explorer.
/// </summary>
public sealed class MqttPresence : IMetricsSource
{
    /// <summary>Upper bounds of the PUBACK latency histogram, in seconds.</summary>
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly ConcurrentDictionary<Address, Entry> _devices = new();
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _refusals = new(StringComparer.Ordinal);
    private readonly long[] _latencyCounts = new long[Buckets.Length + 1];
    private long _latencyMicros;
    private Func<int> _openConnections = () => 0;

    private sealed class Entry
    {
        public readonly HashSet<string> Clients = new(StringComparer.Ordinal);
        public DateTimeOffset? Since;
        public DateTimeOffset? LastMessage;
    }

    internal void Track(Func<int> openConnections) => _openConnections = openConnections;

    public MqttDeviceState? Find(Address device)
    {
        if (!_devices.TryGetValue(device, out var entry))
        {
            return null;
        }
        lock (entry)
        {
            return new MqttDeviceState([.. entry.Clients.Order(StringComparer.Ordinal)], entry.Clients.Count > 0 ? entry.Since : null, entry.LastMessage);
        }
    }

    /// <summary>The client ids of the device's open sessions.</summary>
    public string[] Clients(Address device)
    {
        if (!_devices.TryGetValue(device, out var entry))
        {
            return [];
        }
        lock (entry)
        {
            return [.. entry.Clients];
        }
    }

    public int DevicesConnected => _devices.Values.Count(e =>
    {
        lock (e)
        {
            return e.Clients.Count > 0;
        }
    });

    internal void Connected(Address device, string clientId, DateTimeOffset at)
    {
        var entry = _devices.GetOrAdd(device, _ => new Entry());
        lock (entry)
        {
            if (entry.Clients.Count == 0)
            {
                entry.Since = at;
            }
            entry.Clients.Add(clientId);
        }
    }

    internal void Disconnected(Address device, string clientId)
    {
        if (_devices.TryGetValue(device, out var entry))
        {
            lock (entry)
            {
                entry.Clients.Remove(clientId);
            }
        }
    }

    internal void Message(Address device, DateTimeOffset at)
    {
        var entry = _devices.GetOrAdd(device, _ => new Entry());
        lock (entry)
        {
            entry.LastMessage = at;
        }
    }

    internal void CountOutcome(string outcome) => _outcomes.AddOrUpdate(outcome, 1, static (_, n) => n + 1);

    internal void CountRefusal(string code) => _refusals.AddOrUpdate(code, 1, static (_, n) => n + 1);

    internal void CountPuback(TimeSpan latency)
    {
        var seconds = latency.TotalSeconds;
        var bucket = 0;
        while (bucket < Buckets.Length && seconds > Buckets[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _latencyCounts[bucket]);
        Interlocked.Add(ref _latencyMicros, (long)latency.TotalMicroseconds);
    }

    public void Render(StringBuilder text)
    {
        var c = CultureInfo.InvariantCulture;
        NodeMetrics.Write(text, "thingledger_mqtt_connections", "gauge", "Open MQTT TCP connections, authenticated or not.", _openConnections());
        NodeMetrics.Write(text, "thingledger_mqtt_devices_connected", "gauge", "Devices with at least one MQTT session.", DevicesConnected);
        text.Append("# HELP thingledger_mqtt_messages_total MQTT readings messages, by outcome.\n# TYPE thingledger_mqtt_messages_total counter\n");
        foreach (var (outcome, count) in _outcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"thingledger_mqtt_messages_total{{outcome=\"{outcome}\"}} {count}\n");
        }
        text.Append("# HELP thingledger_mqtt_refusals_total MQTT connections and messages refused, by code.\n# TYPE thingledger_mqtt_refusals_total counter\n");
        foreach (var (code, count) in _refusals.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"thingledger_mqtt_refusals_total{{code=\"{code}\"}} {count}\n");
        }
        text.Append("# HELP thingledger_mqtt_puback_seconds From a readings message's arrival to its PUBACK.\n# TYPE thingledger_mqtt_puback_seconds histogram\n");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _latencyCounts[i]);
            text.Append(c, $"thingledger_mqtt_puback_seconds_bucket{{le=\"{Buckets[i]}\"}} {cumulative}\n");
        }
        cumulative += Interlocked.Read(ref _latencyCounts[^1]);
        text.Append(c, $"thingledger_mqtt_puback_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        text.Append(c, $"thingledger_mqtt_puback_seconds_sum {Interlocked.Read(ref _latencyMicros) / 1e6}\n");
        text.Append(c, $"thingledger_mqtt_puback_seconds_count {cumulative}\n");
    }
}
