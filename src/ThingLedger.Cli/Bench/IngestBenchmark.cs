using System.Diagnostics;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;

namespace ThingLedger.Cli.Bench;

/// <summary>Settings of `bench ingest`.</summary>
/// <param name="Transport">"http" (senders upload many devices' readings per request) or "mqtt" (each device its own session, one message per signed reading or device batch).</param>
internal sealed record IngestBenchmarkOptions(int Readings, int Devices, int BatchSize, int UploadReadings, int Senders, string Transport = "http");

/// <summary>What `bench ingest` measured.</summary>
/// <param name="PubAckP50Ms">MQTT: from publishing a message to its PUBACK (0 over HTTP).</param>
internal sealed record IngestBenchmarkResult(
    long Accepted, long Refused, string Refusals, double Seconds, double ReadingsPerSecond, double AnchorP50Ms, double AnchorP99Ms, double BytesPerReading,
    double RawVerifyPerSecond, string Machine, double PubAckP50Ms = 0, double PubAckP99Ms = 0)
{
    /// <summary>Signature checks per second the run needed, over the machine's raw rate.</summary>
    public double VerifyShare(int batchSize) => ReadingsPerSecond / batchSize / RawVerifyPerSecond;
}

/// <summary>
/// Drives a node's ingest with EV readings from many devices, all signed before the clock starts
/// (each alone, or in device batches). A reading counts once the node answered "accepted", which
/// it does only after the reading is fsynced. Anchor latency is measured per upload, from that
/// answer until the node has recorded an anchor committed in a block that covers it.
/// </summary>
internal sealed class IngestBenchmark
{
    private readonly ThingLedgerClient _client;
    private readonly LedgerNode _node;
    private readonly IServiceProvider _services;
    private readonly IngestBenchmarkOptions _options;

    public IngestBenchmark(ThingLedgerClient client, IServiceProvider services, IngestBenchmarkOptions options)
    {
        _client = client;
        _services = services;
        _node = services.GetRequiredService<LedgerNode>();
        _options = options;
    }

    public async Task<IngestBenchmarkResult> RunAsync(Account admin, double rawVerifyPerSecond, Action<string> progress, CancellationToken cancellationToken)
    {
        progress($"registering the ev schema, its screening model and {_options.Devices} devices");
        var devices = Enumerable.Range(0, _options.Devices).Select(_ => KeyPair.Generate()).ToArray();
        var setup = new List<Transaction>
        {
            admin.Sign(Operations.RegisterSchema(BuiltInSchemas.Ev)),
            admin.Sign(Operations.RegisterModel(Execution.Modules.Telemetry.BuiltInScreeningModels.Ev.Registration())),
        };
        var org = Execution.Modules.Identity.IdentityModule.ReadMember(_node.Store, admin.Address)?.Org
            ?? throw new InvalidOperationException($"{admin.Address} is no member of an organisation");
        setup.AddRange(devices.Select((d, i) => admin.Sign(Operations.RegisterDevice(d, admin.ChainId, org, "ev-bench", $"BENCH-{i}", admin.Address))));
        await _client.SubmitAllCommittedAsync(setup, "benchmark setup", cancellationToken: cancellationToken).ConfigureAwait(false);

        progress($"signing {_options.Readings} readings ({(_options.BatchSize == 1 ? "each alone" : $"in device batches of {_options.BatchSize}")})");
        var signed = Sign(devices);

        var acks = new List<(TimeSpan At, ulong Ingest)>();
        var anchoredAt = new List<(TimeSpan At, ulong Anchored)>();
        var pubAcks = new List<double>();
        long accepted = 0, refused = 0;
        var refusals = new Dictionary<string, long>(StringComparer.Ordinal);
        void Count(ReadingUploadResponse? response, string? refusal, int readings, TimeSpan at)
        {
            var mark = _node.Readings.LastIngest;
            lock (acks)
            {
                acks.Add((at, mark));
                if (response is null)
                {
                    refused += readings;
                    refusals[refusal!] = refusals.GetValueOrDefault(refusal!) + readings;
                    return;
                }
                accepted += response.Accepted;
                refused += response.Rejected + response.Duplicates;
                foreach (var r in response.Results)
                {
                    var reason = r.Code ?? r.Status.Text();
                    refusals[reason] = refusals.GetValueOrDefault(reason) + 1;
                }
            }
        }

        var sessions = new List<DeviceMqttClient>();
        // What a device sends is ready before the clock starts, as a device's buffered batch would be: one message per signed reading or batch.
        var payloads = _options.Transport == "mqtt"
            ? signed.Select(items => items.Select(item => Canonical.Encode(item is SignedBatch b ? new ReadingUpload([], [b]) : new ReadingUpload([(SignedReading)item], []))).ToList()).ToArray()
            : [];
        if (_options.Transport == "mqtt")
        {
            var broker = _services.GetRequiredService<Node.Telemetry.Mqtt.MqttBroker>();
            progress($"connecting {devices.Length} devices to the node's MQTT broker");
            var connecting = devices.Chunk(100).Select(chunk => Task.Run(async () =>
            {
                var mine = new List<DeviceMqttClient>();
                foreach (var device in chunk)
                {
                    mine.Add(await DeviceMqttClient.ConnectAsync(new DeviceMqttOptions("127.0.0.1", broker.Port, _node.Genesis.ChainId, device, Timeout: TimeSpan.FromMinutes(2)), cancellationToken).ConfigureAwait(false));
                }
                return mine;
            }, cancellationToken));
            sessions.AddRange((await Task.WhenAll(connecting).ConfigureAwait(false)).SelectMany(m => m));
            progress($"publishing: {devices.Length} devices, one message per {(_options.BatchSize == 1 ? "signed reading" : "device batch")}, each device waiting for its PUBACK");
        }
        else
        {
            progress($"uploading with {_options.Senders} senders, {_options.UploadReadings} readings per upload");
        }
        var clock = Stopwatch.StartNew();
        using var watching = new CancellationTokenSource();
        var watcher = WatchAnchorsAsync(clock, anchoredAt, watching.Token);
        Task[] senders;
        if (_options.Transport == "mqtt")
        {
            // Each device sends its own messages in order, one at a time, as a device's firmware would.
            senders = [.. sessions.Select((session, i) => Task.Run(async () =>
            {
                foreach (var payload in payloads[i])
                {
                    var result = await session.PublishAsync(payload, ThingLedgerClient.ReadingsContentType, onlyRejected: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                    Count(result.Response, result.Refusal?.Code, _options.BatchSize, clock.Elapsed);
                    lock (pubAcks)
                    {
                        pubAcks.Add(result.PubAckLatency.TotalMilliseconds);
                    }
                }
            }, cancellationToken))];
        }
        else
        {
            // Each sender owns a disjoint set of devices, so a device's uploads arrive in order, as a real device's would.
            senders = [.. Uploads(signed).Select(mine => Task.Run(async () =>
            {
                foreach (var upload in mine)
                {
                    var response = await _client.UploadReadingsAsync(upload.Singles, upload.Batches, onlyRejected: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                    Count(response, null, 0, clock.Elapsed);
                }
            }, cancellationToken))];
        }
        await Task.WhenAll(senders).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var session in sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        progress("waiting until every reading is anchored");
        var deadline = Stopwatch.StartNew();
        while (_node.Readings.LastAnchoredIngest < _node.Readings.LastIngest && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        await watching.CancelAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
        var latencies = AnchorLatencies(acks, anchoredAt);
        var bytes = _node.Readings.CheckpointAndMeasure();
        foreach (var device in devices)
        {
            device.Dispose();
        }
        return new IngestBenchmarkResult(accepted, refused, string.Join(", ", refusals.Select(kv => $"{kv.Key} × {kv.Value}")), seconds, accepted / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            accepted == 0 ? 0 : (double)bytes / accepted, rawVerifyPerSecond, MachineInfo.Describe(), Percentile(pubAcks, 0.50), Percentile(pubAcks, 0.99));
    }

    /// <summary>Per device, its signed readings or device batches, in the order it sends them.</summary>
    private List<object>[] Sign(KeyPair[] devices)
    {
        var chainId = _node.Genesis.ChainId;
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var perItem = _options.BatchSize;
        var rounds = Math.Max(1, _options.Readings / perItem / devices.Length);
        var signed = new List<object>[devices.Length];
        for (var index = 0; index < devices.Length; index++)
        {
            var signer = new DeviceSigner(devices[index], chainId);
            signed[index] = new List<object>(rounds);
            for (var round = 0; round < rounds; round++)
            {
                var readings = new Reading[perItem];
                for (var i = 0; i < perItem; i++)
                {
                    // Each car drives at its own speed and charge level: a fleet sending one
                    // identical stream would be screened as duplicates, reading after reading.
                    readings[i] = signer.Measure(BuiltInSchemas.Ev, now, 10_000 + (long)signer.NextSequence, 400 + (index % 1_000), 1_250,
                        200 + (index / 1_000 % 800), 475, 7_500, 0, 0);
                }
                signed[index].Add(perItem == 1 ? signer.Sign(readings[0]) : signer.SignBatch(readings));
            }
        }
        return signed;
    }

    /// <summary>Per HTTP sender, its uploads of about <see cref="IngestBenchmarkOptions.UploadReadings"/> readings, round by round over its own devices.</summary>
    private List<List<(List<SignedReading> Singles, List<SignedBatch> Batches)>> Uploads(List<object>[] signed)
    {
        var itemsPerUpload = Math.Max(1, _options.UploadReadings / _options.BatchSize);
        var plan = new List<List<(List<SignedReading>, List<SignedBatch>)>>();
        for (var s = 0; s < _options.Senders; s++)
        {
            var mine = signed.Where((_, i) => i % _options.Senders == s).ToArray();
            var items = new List<object>();
            for (var round = 0; round < (mine.Length == 0 ? 0 : mine[0].Count); round++)
            {
                items.AddRange(mine.Select(device => device[round]));
            }
            plan.Add([.. items.Chunk(itemsPerUpload).Select(chunk => (chunk.OfType<SignedReading>().ToList(), chunk.OfType<SignedBatch>().ToList()))]);
        }
        return plan;
    }

    private async Task WatchAnchorsAsync(Stopwatch clock, List<(TimeSpan, ulong)> anchoredAt, CancellationToken cancellationToken)
    {
        var last = _node.Readings.LastAnchoredIngest;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _node.Readings.LastAnchoredIngest;
            if (now != last)
            {
                anchoredAt.Add((clock.Elapsed, now));
                last = now;
            }
            try
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static List<double> AnchorLatencies(List<(TimeSpan At, ulong Ingest)> acks, List<(TimeSpan At, ulong Anchored)> anchoredAt)
    {
        var latencies = new List<double>(acks.Count);
        foreach (var (at, ingest) in acks)
        {
            var anchored = anchoredAt.FirstOrDefault(a => a.Anchored >= ingest);
            if (anchored.At > TimeSpan.Zero)
            {
                latencies.Add(Math.Max(0, (anchored.At - at).TotalMilliseconds));
            }
        }
        return latencies;
    }

    /// <summary>The nearest-rank percentile of <paramref name="samples"/> (sorted in place; 0 when empty).</summary>
    internal static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return 0;
        }
        samples.Sort();
        return samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(samples.Count * p) - 1)];
    }
}
