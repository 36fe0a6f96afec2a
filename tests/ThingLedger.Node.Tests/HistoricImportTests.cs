using System.Net;
using System.Net.Http.Headers;
using ThingLedger.Client;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Readings older than the freshness window are stored only when an operator of the node's org
/// authorised the upload as a historic import, and the anchor records who did.
/// </summary>
public sealed class HistoricImportTests : IClassFixture<TelemetryFixture>
{
    private readonly TelemetryFixture _fixture;

    public HistoricImportTests(TelemetryFixture fixture) => _fixture = fixture;

    private string NodeOrg => _fixture.Node.Genesis.Validators[0].Org;

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body, string? grant)
    {
        using var http = _fixture.Node.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.thingledger.readings");
        if (grant is not null)
        {
            content.Headers.Add(HistoricImportGrant.Header, grant);
        }
        using var response = await http.PostAsync("v1/readings", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_old_reading_is_stored_only_with_an_operators_grant_and_its_anchor_says_who_gave_it()
    {
        var (_, signer) = await _fixture.NewDeviceAsync(NodeOrg);
        using var client = _fixture.Node.Client();
        var chain = _fixture.Node.Genesis.ChainId;
        var old = _fixture.EvReading(signer, TelemetryFixture.Now - (400L * 24 * 3_600_000));
        var upload = Canonical.Encode(new ReadingUpload([signer.Sign(old)], []));
        var expires = TelemetryFixture.Now + 300_000;

        // Without a grant: too old, refused as ever.
        var refused = await client.UploadReadingsAsync([signer.Sign(old)], []);
        Assert.Equal(TelemetryErrors.ReadingTimeSkew, refused.Results.Single().Code);
        Assert.Contains("historic import", refused.Results.Single().Message);

        // A grant by another org's admin, for another body, expired, or malformed: refused whole, nothing stored.
        var otherOrg = _fixture.Node.Genesis.Orgs.First(o => o.Id != NodeOrg).Id;
        using var stranger = _fixture.Node.Admin(otherOrg);
        var wrongOrg = await PostAsync(upload, HistoricImportGrant.Create(stranger, chain, upload, expires));
        Assert.Equal(HttpStatusCode.Forbidden, wrongOrg.Status);
        Assert.Contains(TelemetryErrors.HistoricNotAuthorised, wrongOrg.Body);
        using var admin = _fixture.Node.Admin(NodeOrg);
        Assert.Contains(TelemetryErrors.HistoricGrantInvalid, (await PostAsync(upload, HistoricImportGrant.Create(admin, chain, [1, 2, 3], expires))).Body);
        Assert.Contains("expired", (await PostAsync(upload, HistoricImportGrant.Create(admin, chain, upload, TelemetryFixture.Now - 1))).Body);
        Assert.Contains("more than 15 minutes", (await PostAsync(upload, HistoricImportGrant.Create(admin, chain, upload, TelemetryFixture.Now + 3_600_000))).Body);
        Assert.Contains(TelemetryErrors.HistoricGrantInvalid, (await PostAsync(upload, "v1.nonsense")).Body);
        Assert.Null(await client.GetLatestReadingAsync(signer.Device));

        // The node's own admin authorises it: stored, marked, anchored with the operator named.
        var stored = await client.UploadReadingsAsync([signer.Sign(old)], [], historicImport: (admin, chain));
        Assert.Equal(1, stored.Accepted);
        var view = (await client.GetLatestReadingAsync(signer.Device))!;
        Assert.Equal(admin.Address.ToString(), view.HistoricImportBy);
        await client.GetVerifiedReceiptAsync(signer.Device, old.Sequence, _fixture.Node.Genesis, TimeSpan.FromSeconds(30));
        var anchorTx = await client.GetTxAsync(Hash.Parse((await client.GetLatestReadingAsync(signer.Device))!.AnchorTx!));
        Assert.Contains(anchorTx!.Receipt!.Events, e => e.Name == "historic-import" && e.Attributes["operator"] == admin.Address.ToString() && e.Attributes["readings"] == "1");

        // A live reading of the same device afterwards is not marked.
        var live = _fixture.EvReading(signer);
        Assert.Equal(1, (await client.UploadReadingsAsync([signer.Sign(live)], [])).Accepted);
        Assert.Null((await client.GetLatestReadingAsync(signer.Device))!.HistoricImportBy);
    }
}
