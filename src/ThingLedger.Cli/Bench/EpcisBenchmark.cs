using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ThingLedger.Client;
using ThingLedger.Node.Modules.Epcis;

namespace ThingLedger.Cli.Bench;

/// <summary>
/// `bench epcis`: EPCIS documents captured (each checked, stored durably, then anchored) in events
/// per second, and how long after its capture was acknowledged each document's events had their
/// receipts (their anchor committed and recorded), p50/p99; one receipt is fetched and verified
/// offline at the end. Then one item's journey of 50 events across 3 aggregation levels (case,
/// pallet, truck) is captured and traced back over the chain index holding every event of the run:
/// trace_ms is the median of <see cref="Traces"/> traces through the API.
/// </summary>
internal static class EpcisBenchmark
{
    private sealed record Options(int Events, int Batch, int Senders);

    private const int Traces = 21;

    public static Command Create(Func<string[], int, Func<Microsoft.AspNetCore.Builder.WebApplication, ThingLedgerClient, Account, CancellationToken, Task<int>>, CancellationToken, Task<int>> withNode,
        Func<bool, Action<string>> progressFor)
    {
        var events = new Option<int>("--events") { Description = "Events to capture", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch") { Description = "Events per EPCIS document (one capture)", DefaultValueFactory = _ => 1_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent capturers", DefaultValueFactory = _ => 2 };
        var command = new Command("epcis", "EPCIS capture throughput in events/s (documents of --batch events, each checked, fsynced and anchored) and receipt latency " +
                "after the capture was acknowledged, p50/p99; trace_ms, the time to trace an item of 50 events across 3 aggregation levels. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench epcis --events 1000000 --batch 1000")
            .With(events, batch, senders);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var o = new Options(parse.GetValue(events), parse.GetValue(batch), parse.GetValue(senders));
            if (o.Batch is < 1 or > Execution.Modules.Epcis.EpcisDocumentReader.MaxEvents || o.Events < o.Batch || o.Senders < 1)
            {
                throw new ArgumentException($"--batch 1..{Execution.Modules.Epcis.EpcisDocumentReader.MaxEvents}, --events at least --batch, --senders positive");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = progressFor(json);
            return await withNode([], o.Senders + 2, async (app, client, admin, stopping) =>
                await RunAsync(app.Services, client, admin, o, json, progress, stopping).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static byte[] Document(int index, int count, long baseMs)
    {
        var text = new StringBuilder(count * 260);
        text.Append("""{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[""");
        for (var i = 0; i < count; i++)
        {
            var time = DateTimeOffset.FromUnixTimeMilliseconds(baseMs + i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            text.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"type":"ObjectEvent","eventTime":"{{time}}","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"commissioning","disposition":"active","epcList":["urn:epc:id:sgtin:9506000.013435.B{{index}}-{{i}}"],"bizLocation":{"id":"urn:epc:id:sgln:9506000.00001.0"}""").Append('}');
        }
        return Encoding.UTF8.GetBytes(text.Append("]}}").ToString());
    }

    private static async Task<int> RunAsync(IServiceProvider services, ThingLedgerClient client, Account admin, Options o, bool json, Action<string> progress, CancellationToken ct)
    {
        var documents = o.Events / o.Batch;
        var store = ((EpcisCapture)services.GetService(typeof(EpcisCapture))!).Store;
        progress($"writing and signing {documents} documents of {o.Batch} events");
        var baseMs = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        var prepared = new (byte[] Document, IReadOnlyList<string> Signatures)[documents];
        Parallel.For(0, documents, new ParallelOptions { CancellationToken = ct }, d =>
        {
            var document = Document(d, o.Batch, baseMs);
            prepared[d] = (document, ThingLedgerClient.SignEpcisCapture(document, admin.Key, admin.ChainId));
        });

        // Watch the store's anchored number, to see when each capture's receipts became available.
        var acked = new (double AckMs, ulong Last)[documents];
        var receiptMs = new double[documents];
        var clock = Stopwatch.StartNew();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var next = 0;
        var pendingFrom = 0;
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var anchored = store.LastAnchored;
                var now = clock.Elapsed.TotalMilliseconds;
                while (pendingFrom < Volatile.Read(ref next) && acked[pendingFrom].Last != 0 && acked[pendingFrom].Last <= anchored)
                {
                    receiptMs[pendingFrom] = now - acked[pendingFrom].AckMs;
                    pendingFrom++;
                }
                await Task.Delay(5, CancellationToken.None).ConfigureAwait(false);
            }
        }, CancellationToken.None);

        progress($"capturing {documents * o.Batch} events with {o.Senders} capturers");
        var gate = new object();
        await Task.WhenAll(Enumerable.Range(0, o.Senders).Select(async _ =>
        {
            while (true)
            {
                int d;
                lock (gate)
                {
                    d = next;
                    if (d >= documents)
                    {
                        return;
                    }
                    next++;
                }
                var captured = await client.PostEpcisCaptureAsync(prepared[d].Document, admin.Key.PublicKey, prepared[d].Signatures, ct).ConfigureAwait(false);
                acked[d] = (clock.Elapsed.TotalMilliseconds, captured.FirstEvent + (ulong)captured.EventHashes.Count - 1);
            }
        })).ConfigureAwait(false);
        var captureSeconds = clock.Elapsed.TotalSeconds;
        while (pendingFrom < documents && clock.Elapsed.TotalSeconds < captureSeconds + 120)
        {
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
        await watching.CancelAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
        if (pendingFrom < documents)
        {
            throw new InvalidOperationException($"only {pendingFrom} of {documents} captures were anchored within 2 minutes of the last capture");
        }
        var totalSeconds = clock.Elapsed.TotalSeconds;

        // One receipt checked offline, as a relying party would (the epcis CLI part registered its proof kind).
        var sample = Execution.Modules.Epcis.EpcisDocumentReader.Read(prepared[documents / 2].Document, ulong.MaxValue / 2, 0).Events[o.Batch / 2].Hash;
        var receipt = await client.GetEpcisReceiptAsync(sample, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("the sample event has no receipt");
        var genesis = Core.Ledger.Genesis.Parse(await client.GetGenesisJsonAsync(ct).ConfigureAwait(false));
        var verified = receipt.Verify(genesis);
        if (!verified.Ok)
        {
            throw new InvalidOperationException($"the sample receipt does not verify: {verified.Link}: {verified.Message}");
        }
        Array.Sort(receiptMs);
        var eventsPerSecond = documents * o.Batch / captureSeconds;
        progress("tracing an item of 50 events across 3 aggregation levels");
        var traceMs = await TraceAsync(services, client, admin, baseMs, ct).ConfigureAwait(false);
        Report(o, documents, eventsPerSecond, captureSeconds, totalSeconds, Percentile(receiptMs, 0.50), Percentile(receiptMs, 0.99), receiptMs[^1], traceMs, json);
        return 0;
    }

    /// <summary>Captures one item's journey (item in a case on a pallet in a truck, 50 events), waits for it in the chain index, and times traces of it: the median in ms.</summary>
    private static async Task<double> TraceAsync(IServiceProvider services, ThingLedgerClient client, Account admin, long baseMs, CancellationToken ct)
    {
        const string Item = "urn:epc:id:sgtin:9506000.013435.TRACE-1";
        string[] containers = ["urn:epc:id:sscc:9506000.9000000001", "urn:epc:id:sscc:9506000.9000000002", "urn:epc:id:sscc:9506000.9000000003"];
        var events = new List<string>();
        var ms = baseMs + 1_800_000;
        string Time() => DateTimeOffset.FromUnixTimeMilliseconds(ms += 1_000).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        void Observe(string id, string action, string bizStep, int times)
        {
            for (var i = 0; i < times; i++)
            {
                events.Add($$"""{"type":"ObjectEvent","eventTime":"{{Time()}}","eventTimeZoneOffset":"+00:00","action":"{{action}}","bizStep":"{{bizStep}}","epcList":["{{id}}"]}""");
            }
        }
        void Pack(string parent, string child) =>
            events.Add($$"""{"type":"AggregationEvent","eventTime":"{{Time()}}","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"packing","parentID":"{{parent}}","childEPCs":["{{child}}"]}""");
        Observe(Item, "ADD", "commissioning", 1);
        Observe(Item, "OBSERVE", "storing", 15);
        Pack(containers[0], Item);
        Observe(containers[0], "OBSERVE", "storing", 10);
        Pack(containers[1], containers[0]);
        Observe(containers[1], "OBSERVE", "staging_outbound", 10);
        Pack(containers[2], containers[1]);
        Observe(containers[2], "OBSERVE", "transporting", 11);
        var document = Encoding.UTF8.GetBytes("""{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[""" +
            string.Join(',', events) + "]}}");
        var captured = await client.CaptureEpcisAsync(document, admin.Key, admin.ChainId, ct).ConfigureAwait(false);
        for (var attempt = 0; await client.GetEpcisReceiptAsync(captured.EventHashes[^1], ct).ConfigureAwait(false) is null; attempt++)
        {
            if (attempt > 600)
            {
                throw new InvalidOperationException("the traced journey was not anchored within a minute");
            }
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        var follower = (EpcisChainFollower)services.GetService(typeof(EpcisChainFollower))!;
        if (!await follower.CatchUpAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the chain index did not reach the head within a minute");
        }
        var times = new double[Traces];
        for (var i = 0; i < Traces; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var trace = await client.GetEpcisTraceAsync(Item, "back", ct).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (trace.Events.Count != events.Count || trace.Reached.Count != containers.Length || trace.Reached.Max(r => r.Depth) != containers.Length)
            {
                throw new InvalidOperationException($"the trace found {trace.Events.Count} events and {trace.Reached.Count} containers, not {events.Count} and {containers.Length}");
            }
        }
        Array.Sort(times);
        return times[Traces / 2];
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static void Report(Options o, int documents, double eventsPerSecond, double captureSeconds, double totalSeconds, double p50, double p99, double max, double traceMs, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var machine = MachineInfo.Describe();
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["events/s"] = eventsPerSecond.ToString("F0", c),
                ["events"] = (documents * o.Batch).ToString(c),
                ["batch"] = o.Batch.ToString(c),
                ["capture_s"] = captureSeconds.ToString("F1", c),
                ["anchored_s"] = totalSeconds.ToString("F1", c),
                ["receipt_p50_ms"] = p50.ToString("F0", c),
                ["receipt_p99_ms"] = p99.ToString("F0", c),
                ["receipt_max_ms"] = max.ToString("F0", c),
                ["trace_ms"] = traceMs.ToString("F1", c),
                ["machine"] = machine,
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields("bench epcis",
            ("capture", $"{eventsPerSecond.ToString("F0", c)} events/s ({documents * o.Batch} events in {documents} documents of {o.Batch}, {captureSeconds.ToString("F1", c)} s)"),
            ("all anchored", $"{totalSeconds.ToString("F1", c)} s after the first capture"),
            ("receipt after capture", $"p50 {p50.ToString("F0", c)} ms, p99 {p99.ToString("F0", c)} ms, max {max.ToString("F0", c)} ms"),
            ("trace", $"{traceMs.ToString("F1", c)} ms (median of {Traces}; an item of 50 events across 3 aggregation levels)"),
            ("machine", machine));
    }
}
