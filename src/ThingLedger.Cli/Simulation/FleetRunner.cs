using System.Collections.Concurrent;
using System.Diagnostics;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
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

    /// <summary>A message refused as a whole (MQTT): its readings, under the refusal's code.</summary>
    public void Refused(string code, int readings)
    {
        Interlocked.Add(ref _rejected, readings);
        RejectedByCode.AddOrUpdate(code, readings, (_, n) => n + readings);
    }

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

/// <summary>How a fleet's readings reach the node.</summary>
internal interface IFleetTransport : IAsyncDisposable
{
    /// <summary>"http" or "mqtt", as the CLI's --transport names them.</summary>
    string Name { get; }

    Task UploadAsync(List<SignedReading> singles, List<SignedBatch> batches, FleetCounters counters, CancellationToken cancellationToken);
}

/// <summary>
/// HTTP, as a gateway uploads: every device's readings in requests of at most
/// <see cref="MaxUploadReadings"/> readings.
/// </summary>
internal sealed class HttpFleetTransport(ThingLedgerClient client) : IFleetTransport
{
    public const int MaxUploadReadings = 5_000;

    public string Name => "http";

    public async Task UploadAsync(List<SignedReading> singles, List<SignedBatch> batches, FleetCounters counters, CancellationToken cancellationToken)
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

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// MQTT, as devices do: each device its own session (connected on its first message, with a
/// fresh proof of its key), each tick one message per device with what it has due.
/// </summary>
internal sealed class MqttFleetTransport(string host, int port, string chainId, IReadOnlyList<SimulatedDevice> devices) : IFleetTransport
{
    private readonly Dictionary<Address, KeyPair> _keys = devices.ToDictionary(d => d.Key.Address, d => d.Key);
    private readonly ConcurrentDictionary<Address, Task<DeviceMqttClient>> _sessions = new();

    public string Name => "mqtt";

    public async Task UploadAsync(List<SignedReading> singles, List<SignedBatch> batches, FleetCounters counters, CancellationToken cancellationToken)
    {
        var byDevice = singles.GroupBy(s => s.Reading.Device).Select(g => (Device: g.Key, Singles: g.ToList(), Batches: new List<SignedBatch>())).ToDictionary(g => g.Device);
        foreach (var batch in batches)
        {
            if (!byDevice.TryGetValue(batch.Device, out var entry))
            {
                byDevice[batch.Device] = entry = (batch.Device, [], []);
            }
            entry.Batches.Add(batch);
        }
        await Parallel.ForEachAsync(byDevice.Values, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (entry, ct) =>
        {
            var session = await _sessions.GetOrAdd(entry.Device, device => DeviceMqttClient.ConnectAsync(new DeviceMqttOptions(host, port, chainId, _keys[device]), ct)).ConfigureAwait(false);
            var result = await session.UploadAsync(entry.Singles, entry.Batches, onlyRejected: true, cancellationToken: ct).ConfigureAwait(false);
            if (result.Response is { } response)
            {
                counters.Add(response);
            }
            else
            {
                counters.Refused(result.Refusal!.Code, entry.Singles.Count + entry.Batches.Sum(b => b.Readings.Length));
            }
        }).ConfigureAwait(false);
    }

    /// <summary>The transport the CLI's --transport names, on the node the client talks to.</summary>
    public static async Task<IFleetTransport> CreateAsync(string transport, ThingLedgerClient client, string chainId, IReadOnlyList<SimulatedDevice> devices, CancellationToken cancellationToken)
    {
        if (transport == "http")
        {
            return new HttpFleetTransport(client);
        }
        if (transport != "mqtt")
        {
            throw new ArgumentException($"--transport '{transport}': http or mqtt");
        }
        var endpoint = await client.GetMqttEndpointAsync(cancellationToken).ConfigureAwait(false);
        if (!endpoint.Enabled || endpoint.Port == 0)
        {
            throw new ThingLedgerException("MQTT_OFF", "the node runs no MQTT broker (Node:Mqtt:Enabled is false): use --transport http", 400);
        }
        var host = endpoint.Address is "0.0.0.0" or "::" ? client.BaseAddress?.Host ?? "127.0.0.1" : endpoint.Address;
        return new MqttFleetTransport(host, endpoint.Port, chainId, devices);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.IsCompletedSuccessfully)
            {
                await session.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>Drives a <see cref="Fleet"/>: every tick, sends what its devices produced.</summary>
internal static class FleetRunner
{
    public static async Task RunAsync(IFleetTransport transport, Fleet fleet, FleetCounters counters, TimeSpan tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(tick);
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = clock.Elapsed;
            var (singles, batches) = fleet.Tick(now - last, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            last = now;
            await transport.UploadAsync(singles, batches, counters, cancellationToken).ConfigureAwait(false);
        }
    }
}
