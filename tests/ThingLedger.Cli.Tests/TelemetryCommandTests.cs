using System.Globalization;
using System.Text.Json;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Verification;

namespace ThingLedger.Cli.Tests;

public sealed class TelemetryCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_person_sends_one_reading_and_imports_a_csv_with_refused_rows_listed_and_a_second_run_duplicates_nothing()
    {
        var data = Path.Combine(_directory, "own");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        await CliProcess.RegisterMeterAsync(common, Limit);
        var sent = await CliProcess.RunAsync(Limit, ["device", "send", "--device", "meter1", "--schema", "smart-meter@1", "import_wh=12", "export_wh=0", "battery_soc_pct=55.5", .. common]);
        Assert.True(sent.Code == 0, sent.Err + sent.Out);
        Assert.Contains("reading 1 of tl", sent.Out, StringComparison.Ordinal);
        Assert.Contains("accepted", sent.Out, StringComparison.Ordinal);
        var missing = await CliProcess.RunAsync(Limit, ["device", "send", "--device", "meter1", "--schema", "smart-meter@1", "import_wh=12", .. common]);
        Assert.Equal(2, missing.Code);
        Assert.Contains("gives no value for export_wh", missing.Err, StringComparison.Ordinal);

        var csv = Path.Combine(_directory, "meter1.csv");
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var lines = new List<string> { "time,import_wh,export_wh,battery_soc_pct" };
        for (var i = 0; i < 250; i++)
        {
            lines.Add(i switch
            {
                40 => $"{start.AddSeconds(i * 10):O},999999,0,50",
                41 => $"{start.AddSeconds(i * 10):O},twelve,0,50",
                _ => $"{start.AddSeconds(i * 10):O},{i % 90},{i % 7},{50 + (i % 40)}.5",
            });
        }
        await File.WriteAllLinesAsync(csv, lines);
        foreach (var (run, stored, already) in new[] { (1, 248, 0), (2, 0, 248) })
        {
            var import = await CliProcess.RunAsync(Limit, ["device", "import", csv, "--device", "meter1", "--schema", "smart-meter@1", "--batch", "100", "--json", .. common]);
            Assert.True(import.Code == 1, $"run {run}: {import.Err}{import.Out}");
            var report = JsonDocument.Parse(import.Out).RootElement;
            Assert.Equal((250, stored, already, 2ul), (report.GetProperty("rows").GetInt32(), report.GetProperty("stored").GetInt32(), report.GetProperty("alreadyStored").GetInt32(), report.GetProperty("firstSeq").GetUInt64()));
            Assert.Equal(["42 READING_OUT_OF_RANGE", "43 ROW_MALFORMED"],
                report.GetProperty("refused").EnumerateArray().Select(p => $"{p.GetProperty("line").GetInt32()} {p.GetProperty("code").GetString()}"));
            Assert.Equal(run == 2, import.Err.Contains("continuing the import", StringComparison.Ordinal));
        }
        using var client = new Client.ThingLedgerClient(node.Url);
        var meter = (await client.ListDevicesAsync(org: "gridco")).Items.Single(d => d.Serial == "M-0001");
        var latest = (await client.GetLatestReadingAsync(Core.Crypto.Address.Parse(meter.Id)))!;
        Assert.Equal((251ul, "69"), (latest.Seq, latest.Values["import_wh"]));
        Assert.Equal(249ul, (await client.GetTelemetryStatusAsync()).Readings);
    }

    [Fact]
    public async Task Simulated_devices_send_readings_whose_receipts_verify_offline_and_faults_are_refused()
    {
        var data = Path.Combine(_directory, "chain");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());

        var simulate = await CliProcess.RunAsync(Limit, "simulate", "--data", data, "--node", node.Url, "--evs", "6", "--meters", "3", "--washers", "2",
            "--rate", "4", "--faults", "0.5", "--duration", "5", "--json");
        Assert.True(simulate.Code == 0, simulate.Err + simulate.Out + node.Log);
        var counts = JsonSerializer.Deserialize<Dictionary<string, string>>(simulate.Out[simulate.Out.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.True(long.Parse(counts["accepted"], CultureInfo.InvariantCulture) > 50, simulate.Out);
        Assert.True(long.Parse(counts["refused"], CultureInfo.InvariantCulture) > 0, simulate.Out);
        Assert.Contains("SIGNATURE_INVALID", simulate.Out, StringComparison.Ordinal);

        using var client = new Client.ThingLedgerClient(node.Url);
        var car = (await client.ListDevicesAsync(org: "voltmotors")).Items.Select(d => Core.Crypto.Address.Parse(d.Id))
            .First(id => client.GetLatestReadingAsync(id).GetAwaiter().GetResult() is not null);
        var history = await CliProcess.RunAsync(Limit, "device", "history", car.ToString(), "--node", node.Url, "--json");
        Assert.Equal(0, history.Code);
        var items = JsonDocument.Parse(history.Out).RootElement.GetProperty("items");
        var seq = items[items.GetArrayLength() - 1].GetProperty("seq").GetUInt64();

        var receiptPath = Path.Combine(_directory, "receipt.json");
        var receipt = await CliProcess.RunAsync(Limit, "device", "receipt", car.ToString(), seq.ToString(CultureInfo.InvariantCulture),
            "--data", data, "--node", node.Url, "--out", receiptPath);
        Assert.True(receipt.Code == 0, receipt.Err + receipt.Out);
        var verified = await CliProcess.RunAsync(Limit, "verify", receiptPath, "--genesis", Path.Combine(data, "genesis.json"));
        Assert.True(verified.Code == 0, verified.Err + verified.Out);
        Assert.Contains("signed by the device", verified.Out, StringComparison.Ordinal);

        // It proves a reading of this car, included by its anchor tx; not of another device.
        var document = ProofDocument.Parse(await File.ReadAllTextAsync(receiptPath));
        Assert.Equal(CodecError.None, Core.Ledger.Transaction.TryDecode(Convert.FromHexString(document.Tx!), out var anchorTx));
        var about = await CliProcess.RunAsync(Limit, "verify", receiptPath, "--genesis", Path.Combine(data, "genesis.json"),
            "--expect-kind", "reading", "--expect-device", car.ToString(), "--expect-tx", anchorTx!.Id.ToString());
        Assert.True(about.Code == 0, about.Err + about.Out);
        var otherCar = await CliProcess.RunAsync(Limit, "verify", receiptPath, "--genesis", Path.Combine(data, "genesis.json"),
            "--expect-device", Core.Crypto.KeyPair.Generate().Address.ToString());
        Assert.Equal(1, otherCar.Code);
        Assert.Contains("expectation", otherCar.Out, StringComparison.Ordinal);

        document.AnchorProof = document.AnchorProof![..^2] + (document.AnchorProof[^1] == '0' ? "11" : "00");
        await File.WriteAllTextAsync(receiptPath, document.ToJson());
        var broken = await CliProcess.RunAsync(Limit, "verify", receiptPath, "--genesis", Path.Combine(data, "genesis.json"));
        Assert.Equal(1, broken.Code);
        Assert.Contains("anchor-path", broken.Out, StringComparison.Ordinal);
    }
}
