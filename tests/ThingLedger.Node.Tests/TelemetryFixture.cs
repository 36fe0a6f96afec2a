using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Tests;

/// <summary>A test node with the built-in schemas registered by voltmotors, and a way to register devices.</summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    public TelemetryFixture()
        : this(new TestNode())
    {
    }

    /// <summary>Over a node with settings of its own.</summary>
    internal TelemetryFixture(TestNode node) => Node = node;

    public TestNode Node { get; }

    public TelemetrySchema Ev => BuiltInSchemas.Ev;

    public async Task InitializeAsync()
    {
        using var client = Node.Client();
        var admin = await Node.AccountAsync(Node.Admin("voltmotors"));
        var results = await client.SubmitAsync([.. BuiltInSchemas.All.Select(s => admin.Sign(Operations.RegisterSchema(s)))], wait: true);
        Assert.All(results.Results, r => Assert.Equal(TxState.Committed, r.Status));
    }

    /// <summary>A newly registered EV owned by the org admin, with its signer.</summary>
    public async Task<(KeyPair Key, DeviceSigner Signer)> NewDeviceAsync(string org = "voltmotors")
    {
        var key = KeyPair.Generate();
        using var client = Node.Client();
        var admin = await Node.AccountAsync(Node.Admin(org));
        var result = await client.SubmitAsync(admin.Sign(Operations.RegisterDevice(key, admin.ChainId, org, "ev-x1", "SN-" + key.Address.ToString()[2..14], admin.Address)), wait: true);
        Assert.Equal(TxState.Committed, result.Status);
        return (key, new DeviceSigner(key, Node.Genesis.ChainId));
    }

    public static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>An EV reading with plausible values (odometer grows with the sequence).</summary>
    public Reading EvReading(DeviceSigner signer, ulong? time = null) =>
        signer.Measure(Ev, time ?? Now, 1_000 + (long)signer.NextSequence, 523, 1_250, 800, 95, 7_500, 0, 0);

    public Task DisposeAsync()
    {
        Node.Dispose();
        return Task.CompletedTask;
    }
}
