using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Screening on a running node: readings are flagged once the schema's model is registered on
/// chain, the flags are stored with each reading, and the anchor carries them into the day totals.
/// </summary>
public sealed class ScreeningIngestTests : IClassFixture<TelemetryFixture>
{
    private readonly TelemetryFixture _fixture;

    public ScreeningIngestTests(TelemetryFixture fixture) => _fixture = fixture;

    private static async Task<Client.Contracts.ReadingView> ReadingAsync(ThingLedgerClient client, Core.Crypto.Address device, ulong seq) =>
        (await client.GetReadingHistoryAsync(device)).Items.Single(r => r.Seq == seq);

    [Fact]
    public async Task Readings_are_flagged_only_after_the_model_is_registered_and_flags_reach_the_day_totals()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var t = TelemetryFixture.Now - 600_000;
        Reading At(long odometer, ulong offset) => signer.Measure(_fixture.Ev, t + offset, odometer, 500, 1_200, 800, 90, 7_000, 0, 0);

        // Before registration the odometer may go backwards unnoticed: no model looked.
        var early = At(20_000, 0);
        var backwards = At(19_000, 10_000);
        Assert.Equal(2, (await client.UploadReadingsAsync([signer.Sign(early), signer.Sign(backwards)], [])).Accepted);
        Assert.Null((await ReadingAsync(client, signer.Device, backwards.Sequence)).Model);

        var admin = await _fixture.Node.AccountAsync(_fixture.Node.Admin("voltmotors"));
        var config = BuiltInScreeningModels.Ev;
        var registered = await client.SubmitAsync(admin.Sign(Operations.RegisterModel(config.Registration())), wait: true);
        Assert.Equal(TxState.Committed, registered.Status);
        Assert.Contains(await client.GetScreeningModelsAsync(), m => m.Name == "ev-screen@1" && m.Parameters == config.ParametersHash.ToString());
        await Task.Delay(1_100); // the node looks for a newly registered model at most once a second

        // Warmed up from the store: the model knows the last trusted odometer was 2,000.0 km.
        var good = At(20_001, 20_000);
        var back = At(19_500, 30_000);
        var after = At(20_002, 40_000);
        Assert.Equal(3, (await client.UploadReadingsAsync([signer.Sign(good), signer.Sign(back), signer.Sign(after)], [])).Accepted);
        var flagged = await ReadingAsync(client, signer.Device, back.Sequence);
        Assert.Equal("ev-screen@1", flagged.Model);
        Assert.Equal(["ODOMETER_DECREASE:1000"], flagged.Flags);
        Assert.Empty((await ReadingAsync(client, signer.Device, after.Sequence)).Flags);

        await client.GetVerifiedReceiptAsync(signer.Device, after.Sequence, _fixture.Node.Genesis, TimeSpan.FromSeconds(30));
        var day = DeviceSummary.DayOf(t);
        var entry = await client.GetStateAsync(TelemetryModule.DayKey(signer.Device, "ev@1", day), proof: false);
        Assert.True(entry.Present);
        Assert.True(Payload.TryDecode(Convert.FromHexString(entry.Value!), DayTotalsRecord.Read, out var totals));
        Assert.Equal((5ul, 1ul), (totals.Count, totals.Flagged));
        Assert.Equal([new FlagTally(FlagCode.OdometerDecrease, 1, 1_000)], totals.Flags);
        Assert.Equal(4 * 7_000, totals.CleanSum(BuiltInSchemas.Ev.AdditiveFields().ToList().IndexOf(BuiltInSchemas.Ev.IndexOf("distance_km"))));
    }

    [Fact]
    public async Task A_members_own_schema_is_screened_once_its_model_is_registered_and_a_new_version_takes_over()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var admin = await _fixture.Node.AccountAsync(_fixture.Node.Admin("voltmotors"));
        var boiler = new TelemetrySchema("boiler", 1, [new SchemaField("temp_c", "°C", 1, -400, 2_000, false)]);
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterSchema(boiler)), wait: true)).Status);
        Assert.Null((await client.GetSchemaAsync("boiler", 1))!.ScreenedBy);

        var t = TelemetryFixture.Now - 600_000;
        var hot = signer.Measure(boiler, t, 1_600);
        Assert.Equal(1, (await client.UploadReadingsAsync([signer.Sign(hot)], [])).Accepted);
        Assert.Null((await ReadingAsync(client, signer.Device, hot.Sequence)).Model);

        ScreeningModelConfig Model(ushort version, long max) => new("boiler-screen", version, "boiler", 1, [new RangeRule(FlagCode.ValueOutOfRange, "temp_c", -200, max)]);
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterModel(Model(1, 1_500).Registration())), wait: true)).Status);
        Assert.Equal("boiler-screen@1", (await client.GetSchemaAsync("boiler", 1))!.ScreenedBy);
        var listed = (await client.GetScreeningModelsAsync()).Single(m => m.Name == "boiler-screen@1");
        Assert.True(listed.Active);
        Assert.Equal(Model(1, 1_500), ScreeningModelConfig.Decode(Convert.FromHexString(listed.Encoded!)));
        await Task.Delay(1_100); // the node asks the chain again at most once a second

        var hotter = signer.Measure(boiler, t + 60_000, 1_600);
        var warm = signer.Measure(boiler, t + 120_000, 1_400);
        Assert.Equal(2, (await client.UploadReadingsAsync([signer.Sign(hotter), signer.Sign(warm)], [])).Accepted);
        var flagged = await ReadingAsync(client, signer.Device, hotter.Sequence);
        Assert.Equal("boiler-screen@1", flagged.Model);
        Assert.Equal(["VALUE_OUT_OF_RANGE:1000"], flagged.Flags);
        Assert.Empty((await ReadingAsync(client, signer.Device, warm.Sequence)).Flags);

        // The explorer tells a reading no model looked at from a clean one.
        using var http = _fixture.Node.CreateClient();
        async Task<string> Page(Reading r) => await http.GetStringAsync($"/devices/{signer.Device}/readings/{r.Sequence}");
        Assert.Contains("not screened", await Page(hot));
        Assert.Contains("VALUE_OUT_OF_RANGE (1000)", await Page(hotter));
        var cleanPage = await Page(warm);
        Assert.Contains(">clean<", cleanPage);
        Assert.DoesNotContain("not screened", cleanPage);

        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterModel(Model(2, 1_200).Registration())), wait: true)).Status);
        await Task.Delay(1_100);
        var again = signer.Measure(boiler, t + 180_000, 1_400);
        Assert.Equal(1, (await client.UploadReadingsAsync([signer.Sign(again)], [])).Accepted);
        var second = await ReadingAsync(client, signer.Device, again.Sequence);
        Assert.Equal("boiler-screen@2", second.Model);
        Assert.Equal(["VALUE_OUT_OF_RANGE:1000"], second.Flags);

        // Flagged readings of a schema with no additive field are anchored like any others.
        await client.GetVerifiedReceiptAsync(signer.Device, again.Sequence, _fixture.Node.Genesis, TimeSpan.FromSeconds(30));
    }
}
