using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>EPCIS from the command line, on a node: hashes, a capture, its items' state, a receipt checked offline, and every refusal with its code.</summary>
public sealed class EpcisCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-epcis-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<string> RunAsync(params string[] args) => CliProcess.SucceedsAsync(Limit, args);

    private static Task RefusedAsync(string code, params string[] args) => CliProcess.RefusedAsync(code, Limit, args);

    private static string Time(int minutesAgo) => DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private string Document(string name, params string[] events)
    {
        var path = Path.Combine(_directory, name + ".jsonld");
        File.WriteAllText(path, """{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[""" +
            string.Join(',', events) + "]}}");
        return path;
    }

    private static string Object(int minutesAgo, string action, string bizStep, params string[] epcs) =>
        $$"""{"type":"ObjectEvent","eventTime":"{{Time(minutesAgo)}}","eventTimeZoneOffset":"+00:00","action":"{{action}}","bizStep":"{{bizStep}}","epcList":[{{string.Join(',', epcs.Select(e => $"\"{e}\""))}}]""" + "}";

    private static string Pack(int minutesAgo, string parent, params string[] children) =>
        $$"""{"type":"AggregationEvent","eventTime":"{{Time(minutesAgo)}}","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"packing","parentID":"{{parent}}","childEPCs":[{{string.Join(',', children.Select(e => $"\"{e}\""))}}]""" + "}";

    [Fact]
    public async Task A_capture_is_checked_stored_anchored_and_each_event_has_a_receipt_that_checks_offline()
    {
        var data = Path.Combine(_directory, "chain");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        const string Bag1 = "https://id.example.com/01/09506000134352/21/BAG-1";
        const string Bag2 = "urn:epc:id:sgtin:9506000.013435.BAG-2";
        const string Case1 = "urn:epc:id:sscc:9506000.1000000001";
        const string Case2 = "urn:epc:id:sscc:9506000.1000000002";

        var harvest = Document("harvest", Object(30, "ADD", "commissioning", Bag1, Bag2), Pack(29, Case1, Bag1, Bag2));
        var hashes = (await RunAsync(["epcis", "hash", harvest])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, hashes.Length);
        Assert.All(hashes, h => Assert.Matches("^ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0$", h));

        var captured = JsonDocument.Parse(await RunAsync(["epcis", "capture", harvest, "--as", "voltmotors-admin", "--json", .. common])).RootElement;
        Assert.Equal(hashes, captured.GetProperty("eventHashes").EnumerateArray().Select(h => h.GetString()!));

        // Its receipt, written to a file and checked offline by `thingledger verify`; a changed event breaks it.
        var receiptFile = Path.Combine(_directory, "receipt.json");
        await RunAsync(["epcis", "receipt", hashes[1], "--out", receiptFile, .. common]);
        Assert.Contains("was signed by", await RunAsync(["verify", receiptFile, "--data", data]), StringComparison.Ordinal);
        Assert.Contains("verified", await RunAsync(["epcis", "verify", hashes[0], .. common]), StringComparison.Ordinal);
        File.WriteAllText(receiptFile, File.ReadAllText(receiptFile).Replace("packing", "shipping", StringComparison.Ordinal));
        var broken = await CliProcess.RunAsync(Limit, ["verify", receiptFile, "--data", data]);
        Assert.True(broken.Code == CliRunner.Refused && (broken.Out + broken.Err).Contains("event", StringComparison.Ordinal), broken.Out + broken.Err);

        var bag = JsonDocument.Parse(await RunAsync(["epcis", "state", Bag1, "--json", .. common])).RootElement;
        Assert.Equal(("active", "voltmotors"), (bag.GetProperty("status").GetString(), bag.GetProperty("commissionedBy").GetString()));
        Assert.Equal("/00/195060000000000012", bag.GetProperty("container").GetString());

        // Refusals, each with its code, none of them stored.
        await RefusedAsync("EPCIS_CHECK_DIGIT", ["epcis", "capture", Document("digit", Object(5, "ADD", "commissioning", "https://id.example.com/01/09506000134353/21/X")), "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("EPCIS_NOT_COMMISSIONED", ["epcis", "capture", Document("ghost", Object(5, "OBSERVE", "receiving", "urn:epc:id:sgtin:9506000.013435.GHOST")), "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("EPCIS_IN_ANOTHER_CONTAINER", ["epcis", "capture", Document("repack", Pack(5, Case2, Bag1)), "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("EPCIS_ALREADY_COMMISSIONED", ["epcis", "capture", Document("clone", Object(5, "ADD", "commissioning", Bag2)), "--as", "gridco-admin", .. common]);
        await RefusedAsync("EPCIS_EVENT_IN_FUTURE", ["epcis", "capture", Document("future", Object(-60, "ADD", "commissioning", "urn:epc:id:sgtin:9506000.013435.LATER")), "--as", "voltmotors-admin", .. common]);
        var malformed = Path.Combine(_directory, "malformed.jsonld");
        File.WriteAllText(malformed, "{\"@context\": [");
        await RefusedAsync("EPCIS_JSON_INVALID", ["epcis", "capture", malformed, "--as", "voltmotors-admin", .. common]);

        // An organisation whose capture role was revoked cannot capture.
        await RunAsync(["epcis", "role", "revoke", "gridco", "capture", "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("EPCIS_ROLE_MISSING", ["epcis", "capture", Document("grid", Object(5, "ADD", "commissioning", "urn:epc:id:sgtin:9506000.013435.GRID-1")), "--as", "gridco-admin", .. common]);
        await RefusedAsync("EPCIS_NOT_GOVERNOR", ["epcis", "role", "grant", "gridco", "capture", "--as", "gridco-admin", .. common]);
        Assert.Contains("EPCIS_ROLE_INVALID", (await CliProcess.RunAsync(Limit, ["epcis", "role", "grant", "gridco", "mayor", "--as", "voltmotors-admin", .. common])).Err, StringComparison.Ordinal);
    }

    private static string Ids(IEnumerable<string> ids) => string.Join(',', ids.Select(e => $"\"{e}\""));

    private static string Quantities(IEnumerable<string> classes) => string.Join(',', classes.Select(c => $$"""{"epcClass":"{{c}}","quantity":500,"uom":"KGM"}"""));

    private static string Lot(int minutesAgo, string lot) =>
        $$"""{"type":"ObjectEvent","eventTime":"{{Time(minutesAgo)}}","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"commissioning","epcList":[],"quantityList":[{{Quantities([lot])}}]}""";

    private static string Transform(int minutesAgo, string bizStep, string[] inputLots, string[] outputLots, string[] outputEpcs) =>
        $$"""{"type":"TransformationEvent","eventTime":"{{Time(minutesAgo)}}","eventTimeZoneOffset":"+00:00","bizStep":"{{bizStep}}","inputQuantityList":[{{Quantities(inputLots)}}],""" +
        $"\"outputQuantityList\":[{Quantities(outputLots)}],\"outputEPCList\":[{Ids(outputEpcs)}]}}";

    [Fact]
    public async Task Query_and_trace_follow_rice_from_paddy_to_bag_both_ways()
    {
        var data = Path.Combine(_directory, "rice");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        const string Paddy = "urn:epc:class:lgtin:9506000.013435.PADDY-7";
        const string Milled = "urn:epc:class:lgtin:9506000.013435.MILLED-3";
        const string Bag1 = "urn:epc:id:sgtin:9506000.013435.BAG-1";
        const string Bag2 = "urn:epc:id:sgtin:9506000.013435.BAG-2";
        const string Case = "urn:epc:id:sscc:9506000.1000000001";
        const string Pallet = "urn:epc:id:sscc:9506000.1000000002";
        var rice = Document("rice", Lot(60, Paddy), Transform(50, "creating_class_instance", [Paddy], [Milled], []), Transform(40, "commissioning", [Milled], [], [Bag1, Bag2]),
            Pack(30, Case, Bag1, Bag2), Pack(29, Pallet, Case), Object(20, "OBSERVE", "shipping", Pallet));
        var hashes = JsonDocument.Parse(await RunAsync(["epcis", "capture", rice, "--as", "voltmotors-admin", "--json", .. common])).RootElement
            .GetProperty("eventHashes").EnumerateArray().Select(h => h.GetString()!).ToArray();
        await RunAsync(["epcis", "receipt", hashes[^1], .. common]);

        // Back from a bag: the case and pallet it travelled in, the milled lot and the paddy lot it came from; every event of them.
        var back = JsonDocument.Parse(await RunAsync(["epcis", "trace", "https://id.gs1.org/01/09506000134352/21/BAG-1", "--json", .. common])).RootElement;
        var reached = back.GetProperty("reached").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => (r.GetProperty("relation").GetString(), r.GetProperty("depth").GetInt32()));
        Assert.Equal(("contained-in", 1), reached["/00/195060000000000012"]);
        Assert.Equal(("contained-in", 2), reached["/00/195060000000000029"]);
        Assert.Equal(("made-from", 1), reached["/01/09506000134352/10/MILLED-3"]);
        Assert.Equal(("made-from", 2), reached["/01/09506000134352/10/PADDY-7"]);
        Assert.Equal(4, reached.Count);
        Assert.Equal(hashes, back.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("hash").GetString()!));
        Assert.Contains("made-from /01/09506000134352/10/PADDY-7", await RunAsync(["epcis", "trace", Bag1, .. common]), StringComparison.Ordinal);

        // Forward from the paddy lot: the milled lot and both bags made from it (what they travelled in is not what they were made of).
        var forward = JsonDocument.Parse(await RunAsync(["epcis", "trace", Paddy, "--forward", "--json", .. common])).RootElement;
        Assert.Equal(["/01/09506000134352/10/MILLED-3", "/01/09506000134352/21/BAG-1", "/01/09506000134352/21/BAG-2"],
            forward.GetProperty("reached").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        var fromPallet = JsonDocument.Parse(await RunAsync(["epcis", "trace", Pallet, "--forward", "--json", .. common])).RootElement;
        Assert.Equal(3, fromPallet.GetProperty("reached").GetArrayLength());

        // The EPCIS query interface: by identifier, business step, type, time; paged with nextPageToken; the results hash as captured.
        static string[] Listed(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("ni:///", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];
        Assert.Equal([hashes[2], hashes[3]], Listed(await RunAsync(["epcis", "query", "--epc", Bag1, .. common])));
        Assert.Equal([hashes[5]], Listed(await RunAsync(["epcis", "query", "--biz-step", "urn:epcglobal:cbv:bizstep:shipping", .. common])));
        Assert.Equal([hashes[1], hashes[2]], Listed(await RunAsync(["epcis", "query", "--type", "TransformationEvent", .. common])));
        Assert.Equal([hashes[0]], Listed(await RunAsync(["epcis", "query", "--to", Time(55), .. common])));
        Assert.Equal([hashes[1]], Listed(await RunAsync(["epcis", "query", "--where", "MATCH_inputEPCClass=" + Paddy, .. common])));
        Assert.Equal([hashes[3], hashes[4]], Listed(await RunAsync(["epcis", "query", "--where", "EQ_action=ADD", "--type", "AggregationEvent", .. common])));
        Assert.Equal(hashes, Listed(await RunAsync(["epcis", "query", "--per-page", "4", "--all", .. common])));
        var page = JsonDocument.Parse(await RunAsync(["epcis", "query", "--per-page", "4", "--json", .. common])).RootElement;
        Assert.Equal("EPCISQueryDocument", page.GetProperty("type").GetString());
        var listed = page.GetProperty("epcisBody").GetProperty("queryResults").GetProperty("resultsBody").GetProperty("eventList");
        Assert.Equal(4, listed.GetArrayLength());
        Assert.All(listed.EnumerateArray(), e => Assert.True(e.TryGetProperty("recordTime", out _)));
        await RefusedAsync("EPCIS_QUERY_INVALID", ["epcis", "query", "--where", "EQ_colour=red", .. common]);
        await RefusedAsync("EPCIS_QUERY_INVALID", ["epcis", "query", "--from", "yesterday", .. common]);
        await RefusedAsync("EPCIS_CHECK_DIGIT", ["epcis", "trace", "https://id.gs1.org/01/09506000134353/21/BAG-1", .. common]);

        // The public journey: every step verified; the bundle of its receipts checks offline, and a changed receipt breaks it.
        var journey = JsonDocument.Parse(await RunAsync(["epcis", "journey", Bag1, "--json", .. common])).RootElement;
        Assert.Equal(6, journey.GetProperty("steps").GetArrayLength());
        Assert.All(journey.GetProperty("steps").EnumerateArray(), s => Assert.True(s.GetProperty("verified").GetBoolean(), s.GetProperty("check").GetString()));
        var bundle = Path.Combine(_directory, "bag-1.json");
        await RunAsync(["epcis", "bundle", Bag1, "--out", bundle, .. common]);
        Assert.Contains("all 6 proofs about https://id.gs1.org/01/09506000134352/21/BAG-1 verified", await RunAsync(["verify", bundle, "--data", data]), StringComparison.Ordinal);
        File.WriteAllText(bundle, File.ReadAllText(bundle).Replace("shipping", "receiving", StringComparison.Ordinal));
        var tampered = await CliProcess.RunAsync(Limit, ["verify", bundle, "--data", data]);
        Assert.True(tampered.Code == CliRunner.Refused && tampered.Out.Contains("broken link: proof 5: event", StringComparison.Ordinal), tampered.Out + tampered.Err);

        // The node answers its own Digital Link paths with the journey page, no account needed.
        using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        var html = await http.GetStringAsync(new Uri("/01/09506000134352/21/BAG-1", UriKind.Relative));
        Assert.Contains("data-verdict=\"verified\"", html, StringComparison.Ordinal);
        Assert.Equal(6, html.Split("data-step=").Length - 1);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/01/09506000134352/21/NEVER-MADE", UriKind.Relative))).StatusCode);

        // A pharmacist reports a second dispense of a pack: stored, and the pack flagged publicly with the reason.
        const string Pack1 = "urn:epc:id:sgtin:9506000.013435.PACK-1";
        await RunAsync(["epcis", "capture", Document("pack", Object(15, "ADD", "commissioning", Pack1), Object(10, "OBSERVE", "dispensing", Pack1)), "--as", "voltmotors-admin", .. common]);
        var second = Document("again", Object(5, "OBSERVE", "dispensing", Pack1));
        await RefusedAsync("EPCIS_ALREADY_DISPENSED", ["epcis", "capture", second, "--as", "voltmotors-admin", .. common]);
        var reported = JsonDocument.Parse(await RunAsync(["epcis", "capture", second, "--as", "voltmotors-admin", "--report", "--json", .. common])).RootElement;
        Assert.Equal("EPCIS_ALREADY_DISPENSED", reported.GetProperty("suspect")[0].GetProperty("code").GetString());
        await RunAsync(["epcis", "receipt", reported.GetProperty("eventHashes")[0].GetString()!, .. common]);
        var flagged = await RunAsync(["epcis", "journey", Pack1, .. common]);
        Assert.Contains("FLAGGED EPCIS_ALREADY_DISPENSED", flagged, StringComparison.Ordinal);
        var provenance = await http.GetStringAsync(new Uri("/epcis", UriKind.Relative));
        Assert.Contains("data-flag=\"EPCIS_ALREADY_DISPENSED\"", provenance, StringComparison.Ordinal);
        Assert.Contains("data-verdict=\"flagged\"", await http.GetStringAsync(new Uri("/01/09506000134352/21/PACK-1", UriKind.Relative)), StringComparison.Ordinal);

        // The chain index is built from the blocks: destroyed while the node is down (killed), it is rebuilt on start.
        node.KillHard();
        foreach (var file in Directory.GetFiles(data, "epcis-chain.db*"))
        {
            File.Delete(file);
        }
        File.WriteAllText(Path.Combine(data, "epcis-chain.db"), "not a database");
        using var again = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        var rebuilt = JsonDocument.Parse(await RunAsync(["epcis", "trace", Bag1, "--json", "--data", data, "--node", again.Url])).RootElement;
        Assert.Equal(4, rebuilt.GetProperty("reached").GetArrayLength());
        Assert.Contains("FLAGGED EPCIS_ALREADY_DISPENSED", await RunAsync(["epcis", "journey", Pack1, "--data", data, "--node", again.Url]), StringComparison.Ordinal);
        using var rebuiltHttp = new HttpClient { BaseAddress = new Uri(again.Url) };
        Assert.Contains("data-flag=\"EPCIS_ALREADY_DISPENSED\"", await rebuiltHttp.GetStringAsync(new Uri("/epcis", UriKind.Relative)), StringComparison.Ordinal);
    }

    private static string At(int minutesAgo, string action, string bizStep, string location, string epc) =>
        $$"""{"type":"ObjectEvent","eventTime":"{{Time(minutesAgo)}}","eventTimeZoneOffset":"+00:00","action":"{{action}}","bizStep":"{{bizStep}}","epcList":["{{epc}}"],"bizLocation":{"id":"{{location}}"}""" + "}";

    [Fact]
    public async Task A_border_needs_customs_clearance_and_a_serial_cannot_be_in_two_places_at_once()
    {
        var data = Path.Combine(_directory, "border");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        const string Factory = "urn:epc:id:sgln:9506000.00010.0";
        const string Store = "urn:epc:id:sgln:9506000.00020.0";
        const string Customs = "urn:epc:id:sgln:9506000.00021.0";
        const string Pallet = "urn:epc:id:sscc:9506000.2000000001";
        const string Item = "urn:epc:id:sgtin:9506000.013435.TV-1";
        await RunAsync(["epcis", "location", Factory, "--country", "CN", "--lat", "31.2304", "--lon", "121.4737", "--as", "voltmotors-admin", .. common]);
        await RunAsync(["epcis", "location", Store, "--country", "HK", "--lat", "22.3193", "--lon", "114.1694", "--as", "voltmotors-admin", .. common]);
        await RunAsync(["epcis", "location", Customs, "--country", "HK", "--lat", "22.3000", "--lon", "114.1700", "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("EPCIS_LOCATION_TAKEN", ["epcis", "location", Store, "--country", "HK", "--lat", "22.3", "--lon", "114.1", "--as", "gridco-admin", .. common]);
        Assert.Contains("EPCIS_LOCATION_INVALID", (await CliProcess.RunAsync(Limit, ["epcis", "location", Store, "--country", "Hong Kong", "--lat", "22.3", "--lon", "114.1", "--as", "voltmotors-admin", .. common])).Err, StringComparison.Ordinal);

        await RunAsync(["epcis", "capture", Document("made", At(600, "ADD", "commissioning", Factory, Pallet), At(599, "ADD", "commissioning", Factory, Item)), "--as", "voltmotors-admin", .. common]);
        // The same serial in Hong Kong a minute later is a second item: refused, or reported and flagged.
        var clone = Document("clone", At(598, "OBSERVE", "receiving", Store, Item));
        await RefusedAsync("EPCIS_IMPOSSIBLE_TRAVEL", ["epcis", "capture", clone, "--as", "voltmotors-admin", .. common]);
        // Received across the border with no clearance: refused.
        var received = Document("received", At(60, "OBSERVE", "receiving", Store, Pallet));
        await RefusedAsync("EPCIS_NOT_CLEARED", ["epcis", "capture", received, "--as", "voltmotors-admin", .. common]);
        // Only customs records declarations and clearances; once granted, declared, cleared, the pallet is received.
        var declared = Document("declared", At(120, "OBSERVE", "urn:thingledger:epcis:bizstep:declaring", Customs, Pallet));
        await RefusedAsync("EPCIS_ROLE_MISSING", ["epcis", "capture", declared, "--as", "voltmotors-admin", .. common]);
        await RunAsync(["epcis", "role", "grant", "voltmotors", "customs", "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("EPCIS_NOT_DECLARED", ["epcis", "capture", Document("early", At(119, "OBSERVE", "urn:thingledger:epcis:bizstep:clearing", Customs, Pallet)), "--as", "voltmotors-admin", .. common]);
        await RunAsync(["epcis", "capture", declared, "--as", "voltmotors-admin", .. common]);
        await RunAsync(["epcis", "capture", Document("cleared", At(90, "OBSERVE", "urn:thingledger:epcis:bizstep:clearing", Customs, Pallet)), "--as", "voltmotors-admin", .. common]);
        await RunAsync(["epcis", "capture", received, "--as", "voltmotors-admin", .. common]);
        var reported = JsonDocument.Parse(await RunAsync(["epcis", "capture", clone, "--as", "voltmotors-admin", "--report", "--json", .. common])).RootElement;
        await RunAsync(["epcis", "receipt", reported.GetProperty("eventHashes")[0].GetString()!, .. common]);
        var item = JsonDocument.Parse(await RunAsync(["epcis", "state", Item, "--json", .. common])).RootElement;
        Assert.Equal("EPCIS_IMPOSSIBLE_TRAVEL", item.GetProperty("flags")[0].GetProperty("code").GetString());
        Assert.Empty(JsonDocument.Parse(await RunAsync(["epcis", "state", Pallet, "--json", .. common])).RootElement.GetProperty("flags").EnumerateArray());

        // Tap-to-verify: the item's tag is a device its maker registered; only that tag's key answers the node's challenge.
        await RunAsync(["keys", "new", "tv1-tag", "--data", data]);
        await RunAsync(["keys", "new", "copied-tag", "--data", data]);
        await RunAsync(["device", "register", "--device-key", "tv1-tag", "--model", "NFC-TAG", "--serial", "TAG-TV-1", "--owner", "voltmotors-admin", "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("EPCIS_NO_TAG", ["epcis", "tap", Item, "--tag", "tv1-tag", .. common]);
        await RefusedAsync("EPCIS_TAG_INVALID", ["epcis", "tag", Item, "tv1-tag", "--as", "gridco-admin", .. common]);
        await RunAsync(["epcis", "tag", Item, "tv1-tag", "--as", "voltmotors-admin", .. common]);
        var tapped = JsonDocument.Parse(await RunAsync(["epcis", "tap", Item, "--tag", "tv1-tag", "--json", .. common])).RootElement;
        Assert.True(tapped.GetProperty("genuine").GetBoolean());
        Assert.Equal("EPCIS_IMPOSSIBLE_TRAVEL", tapped.GetProperty("item").GetProperty("flags")[0].GetProperty("code").GetString());
        await RefusedAsync("EPCIS_TAP_INVALID", ["epcis", "tap", Item, "--tag", "copied-tag", .. common]);
        using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        using var replay = new StringContent($$"""{"id":"{{Item}}","challenge":"{{new string('a', 64)}}","signature":"{{new string('b', 128)}}"}""", System.Text.Encoding.UTF8, "application/json");
        var unknown = await http.PostAsync(new Uri("/v1/epcis/taps", UriKind.Relative), replay);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, unknown.StatusCode);
        Assert.Contains("EPCIS_CHALLENGE_UNKNOWN", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_epcis_captures_every_event_and_reports_its_figures()
    {
        var report = JsonDocument.Parse(await RunAsync("bench", "epcis", "--events", "2000", "--batch", "500", "--json")).RootElement;
        Assert.Equal("2000", report.GetProperty("events").GetString());
        foreach (var key in new[] { "events/s", "receipt_p50_ms", "receipt_p99_ms", "capture_s", "trace_ms" })
        {
            Assert.True(double.Parse(report.GetProperty(key).GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0, key);
        }
    }
}
