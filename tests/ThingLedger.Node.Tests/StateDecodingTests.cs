using Microsoft.Extensions.DependencyInjection;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Execution;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Tests;

/// <summary>State values are shown decoded by the module that owns their key, not as hex.</summary>
public sealed class StateDecodingTests : IClassFixture<TelemetryFixture>
{
    private readonly TelemetryFixture _fixture;

    public StateDecodingTests(TelemetryFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Every_key_in_a_working_chain_is_decoded_by_its_module()
    {
        var node = _fixture.Node;
        using var client = node.Client();
        var admin = await node.AccountAsync(node.Admin("voltmotors"));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.CreateToken("DEC", "Decoded points", 2, Roles.Admin, 0)), wait: true)).Status);
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.Mint("DEC", admin.Address, 12_345)), wait: true)).Status);
        var (key, signer) = await _fixture.NewDeviceAsync();
        var upload = await client.UploadReadingsAsync([signer.Sign(_fixture.EvReading(signer))], []);
        Assert.Equal(1, upload.Accepted);
        var ledger = node.Services.GetRequiredService<LedgerNode>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Execution.Modules.Telemetry.TelemetryModule.ReadDevice(ledger.Store, key.Address) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the reading was not anchored");
            await Task.Delay(50);
        }

        var balance = await client.GetStateAsync($"tokens/balance/DEC/{admin.Address}", proof: false);
        Assert.Equal("balance (smallest units)", balance.Kind);
        Assert.Equal([new StateFieldView("value", "12345")], balance.Decoded);
        var token = await client.GetStateAsync("tokens/token/DEC", proof: false);
        Assert.Equal("token", token.Kind);
        Assert.Contains(new StateFieldView("name", "Decoded points"), token.Decoded!);
        Assert.Contains(new StateFieldView("decimals", "2"), token.Decoded!);
        var device = await client.GetStateAsync($"devices/device/{key.Address}", proof: false);
        Assert.Equal("device", device.Kind);
        Assert.Contains(new StateFieldView("status", "active"), device.Decoded!);
        Assert.Contains(new StateFieldView("publicKey", key.PublicKey.ToHex()), device.Decoded!);

        // Not one key of the chain is left as bare hex: each module declares what it stores.
        var undecoded = new List<string>();
        string? after = null;
        while (true)
        {
            var page = ledger.Store.Scan("", after, 500);
            foreach (var (stateKey, value) in page)
            {
                if (StateDescriber.Describe(ledger.Machine.Modules, stateKey, value) is null)
                {
                    undecoded.Add(stateKey);
                }
            }
            if (page.Count < 500)
            {
                break;
            }
            after = page[^1].Key;
        }
        Assert.True(undecoded.Count == 0, "keys no module decodes: " + string.Join(", ", undecoded.Take(20)));
    }
}
