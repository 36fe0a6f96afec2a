using System.Globalization;
using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>A member screens its own schema: a model file, measured offline, registered, shown, versioned; and history older than the freshness window imported on an operator's word.</summary>
public sealed class ScreeningCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-screening-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Example(string name) => Path.Combine(Repository.Root(), "docs", "examples", name);

    [Fact]
    public async Task The_example_model_meets_the_targets_on_every_simulated_fault_of_its_schema()
    {
        var (code, output, error) = await CliProcess.RunAsync(Limit, "screening", "eval", "--model", Example("boiler-screen.json"), "--schema", Example("boiler.schema.json"),
            "--devices", "12", "--days", "8", "--json");
        Assert.True(code == 0, error + output);
        var rows = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["SPIKE", "LEVEL_SHIFT", "DRIFT", "STUCK", "OUT_OF_RANGE"], rows.Select(r => r.GetProperty("fault").GetString()));
        Assert.All(rows, r => Assert.True(r.GetProperty("injected").GetInt32() > 0 && r.GetProperty("recall").GetDouble() >= 0.95 &&
            r.GetProperty("falsePositiveRate").GetDouble() <= 0.01, r.ToString()));

        // With plausibility rules alone, drifts and level shifts go unseen, and the run says so.
        var model = JsonDocument.Parse(await File.ReadAllTextAsync(Example("boiler-screen.json"))).RootElement;
        var plausibilityOnly = Path.Combine(_directory, "plausibility-only.json");
        await File.WriteAllTextAsync(plausibilityOnly, JsonSerializer.Serialize(new
        {
            id = "boiler-screen",
            version = 1,
            schema = "boiler@1",
            rules = model.GetProperty("rules").EnumerateArray().Where(r => r.GetProperty("detector").GetString() is "range" or "stuck").ToList(),
        }));
        var missed = await CliProcess.RunAsync(Limit, "screening", "eval", "--model", plausibilityOnly, "--schema", Example("boiler.schema.json"), "--devices", "12", "--days", "8", "--json");
        Assert.Equal(1, missed.Code);
        var unmet = JsonDocument.Parse(missed.Out).RootElement.GetProperty("rows").EnumerateArray().Where(r => !r.GetProperty("met").GetBoolean()).Select(r => r.GetProperty("fault").GetString());
        Assert.Contains("DRIFT", unmet);
    }

    [Fact]
    public async Task A_labelled_csv_is_scored_by_window_with_bad_rows_reported_by_line_and_a_sweep_ranks_its_combinations()
    {
        var csv = Path.Combine(_directory, "boiler-7.csv");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var lines = new List<string> { "timestamp,temp_c" };
        for (var i = 0; i < 2_000; i++)
        {
            var value = 600 + (80 * Math.Sin(2 * Math.PI * (i % 96) / 96)) + ((i * 7_919 % 11) - 5) + (i >= 1_500 ? 150 : 0) + (i == 1_200 ? 250 : 0);
            lines.Add($"{start.AddMinutes(15 * i):yyyy-MM-dd HH:mm:ss},{(value / 10).ToString("0.0", CultureInfo.InvariantCulture)}");
        }
        lines.Insert(501, lines[500]);                                           // line 502: the same time again
        lines.Insert(801, $"{start.AddMinutes(15 * 10):yyyy-MM-dd HH:mm:ss},60.0"); // line 802: back in time
        await File.WriteAllLinesAsync(csv, lines);
        var labels = Path.Combine(_directory, "windows.json");
        string T(int i) => start.AddMinutes(15 * i).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(labels, JsonSerializer.Serialize(new Dictionary<string, string[][]>
        {
            ["realKnownCause/boiler-7.csv"] = [[T(1_195), T(1_205)], [T(1_500), T(1_530)]],
        }));
        string[] common = ["screening", "eval", "--csv", csv, "--labels", labels, "--model", Example("boiler-screen.json"), "--schema", Example("boiler.schema.json"), "--json"];

        var (code, output, error) = await CliProcess.RunAsync(Limit, common);
        Assert.True(code == 0, error + output);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["502 ROW_DUPLICATE_TIME", "802 ROW_OUT_OF_ORDER"],
            result.GetProperty("skipped").EnumerateArray().Select(s => $"{s.GetProperty("line").GetInt32()} {s.GetProperty("code").GetString()}"));
        Assert.Equal(2_000, result.GetProperty("readings").GetInt32());
        Assert.Equal((2, 2), (result.GetProperty("windows").GetInt32(), result.GetProperty("detected").GetInt32()));
        Assert.True(result.GetProperty("falsePositiveRate").GetDouble() <= 0.01, output);

        var swept = await CliProcess.RunAsync(Limit, [.. common, "--sweep", "3.threshold=4,6,9", "--sweep", "4.h=10,20"]);
        Assert.True(swept.Code == 0, swept.Err + swept.Out);
        var combinations = JsonDocument.Parse(swept.Out).RootElement.GetProperty("sweep").EnumerateArray().ToList();
        Assert.Equal(6, combinations.Count);
        Assert.Contains(combinations, c => c.GetProperty("parameters").GetString() == "3.threshold=9 4.h=20");

        var badSweep = await CliProcess.RunAsync(Limit, [.. common, "--sweep", "3.minDeviation=0"]);
        Assert.Equal(2, badSweep.Code);
        Assert.Contains("deviation floor 0 must be above 0", badSweep.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_model_files_are_refused_with_the_rule_and_the_reason()
    {
        var schema = Example("boiler.schema.json");
        foreach (var (rule, why) in new[]
        {
            ("{\"detector\":\"range\",\"field\":\"pressure\",\"min\":0,\"max\":1}", "has no field 'pressure'"),
            ("{\"detector\":\"windowed-gaussian\",\"field\":\"temp_c\",\"window\":-5,\"threshold\":3,\"minDeviation\":0.5}", "\"window\" -5 must be a whole number from 2 to 4,096"),
            ("{\"detector\":\"seasonal-z\",\"field\":\"temp_c\",\"threshold\":6,\"minDeviation\":0,\"alpha\":0.1}", "deviation floor 0 must be above 0"),
            ("{\"detector\":\"range\",\"field\":\"temp_c\",\"min\":0,\"max\":1.25}", "has more than 1 decimals"),
            ("{\"detector\":\"stuck\",\"field\":\"temp_c\",\"readings\":8,\"treshold\":3}", "unknown key \"treshold\""),
            ("{\"detector\":\"isolation-forest\",\"field\":\"temp_c\"}", "no detector 'isolation-forest'"),
        })
        {
            var file = Path.Combine(_directory, "bad.json");
            await File.WriteAllTextAsync(file, $"{{\"id\":\"boiler-screen\",\"version\":1,\"schema\":\"boiler@1\",\"rules\":[{rule}]}}");
            var (code, output, error) = await CliProcess.RunAsync(Limit, "screening", "eval", "--model", file, "--schema", schema, "--devices", "12", "--days", "6");
            Assert.True(code == 2, $"{rule}: {code} {output}{error}");
            Assert.Contains(why, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_member_registers_its_own_model_the_schema_shows_it_others_cannot_version_it_and_old_history_needs_an_operator()
    {
        var data = Path.Combine(_directory, "chain");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        async Task<(int Code, string Out, string Err)> Run(params string[] args) => await CliProcess.RunAsync(Limit, [.. args, .. common]);

        Assert.Equal(0, (await Run("schema", "register", "--file", Example("boiler.schema.json"), "--as", "gridco-admin")).Code);
        Assert.Contains("not screened", (await Run("schema", "list")).Out, StringComparison.Ordinal);
        var registered = await Run("screening", "register", "--model", Example("boiler-screen.json"), "--as", "gridco-admin");
        Assert.True(registered.Code == 0, registered.Err + registered.Out);
        Assert.Contains("boiler-screen@1", (await Run("schema", "show", "boiler@1")).Out, StringComparison.Ordinal);
        var models = JsonDocument.Parse((await Run("screening", "models", "--json")).Out).RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "boiler-screen@1");
        Assert.True(models.GetProperty("active").GetBoolean());

        // `screening show` writes the model file back; another org may not register its next version.
        var shown = await Run("screening", "show", "boiler-screen@1");
        Assert.True(shown.Code == 0, shown.Err);
        var next = Path.Combine(_directory, "next.json");
        await File.WriteAllTextAsync(next, shown.Out.Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal));
        var taken = await Run("screening", "register", "--model", next, "--as", "voltmotors-admin");
        Assert.Equal(1, taken.Code);
        Assert.Contains("TELEMETRY_MODEL_NOT_OWNER", taken.Out + taken.Err, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("screening", "register", "--model", next, "--as", "gridco-admin")).Code);

        // Version 3 brings an ONNX model trained here; a node takes only the file it names.
        var training = Path.Combine(_directory, "training.csv");
        var t0 = DateTimeOffset.UtcNow.AddDays(-30);
        await File.WriteAllLinesAsync(training, ["time,temp_c", .. Enumerable.Range(0, 500).Select(i => $"{t0.AddMinutes(15 * i):O},{60 + (i % 7)}.{i % 10}")]);
        var onnx = Path.Combine(_directory, "boiler.onnx");
        var trained = await Run("screening", "train", "--csv", training, "--schema", "boiler@1", "--fields", "temp_c", "--out", onnx, "--json");
        Assert.True(trained.Code == 0, trained.Err + trained.Out);
        var threshold = JsonDocument.Parse(trained.Out).RootElement.GetProperty("threshold").GetString();
        var third = Path.Combine(_directory, "third.json");
        await File.WriteAllTextAsync(third, $"{{\"id\":\"boiler-screen\",\"version\":3,\"schema\":\"boiler@1\",\"rules\":[{{\"detector\":\"onnx\",\"fields\":[\"temp_c\"],\"file\":\"boiler.onnx\",\"threshold\":{threshold}}}]}}");
        var onnxRegistered = await Run("screening", "register", "--model", third, "--as", "gridco-admin");
        Assert.True(onnxRegistered.Code == 0, onnxRegistered.Err + onnxRegistered.Out);
        var other = Path.Combine(_directory, "other.onnx");
        Assert.Equal(0, (await Run("screening", "train", "--csv", training, "--schema", "boiler@1", "--fields", "temp_c", "--out", other, "--quantile", "0.5")).Code);
        await File.AppendAllTextAsync(other, " ");
        var mismatch = await Run("screening", "install", other, "--model", "boiler-screen@3");
        Assert.Equal(1, mismatch.Code);
        Assert.Contains("TELEMETRY_MODEL_FILE_MISMATCH", mismatch.Out + mismatch.Err, StringComparison.Ordinal);
        var installed = await Run("screening", "install", onnx, "--model", "boiler-screen@3");
        Assert.True(installed.Code == 0, installed.Err + installed.Out);
        Assert.Single(Directory.GetFiles(Path.Combine(data, "models"), "*.onnx"));

        // A year-old series: refused row by row without an operator's word, stored with it.
        Assert.Equal(0, (await Run("keys", "new", "boiler7")).Code);
        Assert.Equal(0, (await Run("device", "register", "--device-key", "boiler7", "--model", "B-1", "--serial", "B-0007", "--owner", "gridco-admin", "--as", "gridco-admin")).Code);
        var csv = Path.Combine(_directory, "boiler-2025.csv");
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        await File.WriteAllLinesAsync(csv, ["time,temp_c", .. Enumerable.Range(0, 30).Select(i => $"{start.AddMinutes(15 * i):O},{60 + (i % 5)}.0")]);
        var young = await Run("device", "import", csv, "--device", "boiler7", "--schema", "boiler@1", "--json");
        Assert.Equal(1, young.Code);
        Assert.All(JsonDocument.Parse(young.Out).RootElement.GetProperty("refused").EnumerateArray(), r => Assert.Equal("READING_TIME_SKEW", r.GetProperty("code").GetString()));
        var genesis = Node.DataDirectory.LoadGenesis(data);
        var nodeOrg = genesis.Validators[0].Org;
        var stranger = genesis.Orgs.First(o => o.Id != nodeOrg).Id;
        var refused = await Run("device", "import", csv, "--device", "boiler7", "--schema", "boiler@1", "--historic", $"{stranger}-admin");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("TELEMETRY_HISTORIC_NOT_AUTHORISED", refused.Out + refused.Err, StringComparison.Ordinal);
        var imported = await Run("device", "import", csv, "--device", "boiler7", "--schema", "boiler@1", "--historic", $"{nodeOrg}-admin", "--json");
        Assert.True(imported.Code == 0, imported.Err + imported.Out);
        Assert.Equal(30, JsonDocument.Parse(imported.Out).RootElement.GetProperty("stored").GetInt32());
    }
}
