using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Node.Tests;

/// <summary>
/// A node with the production wiring on a fresh data directory (three sample organisations),
/// served in process; blocks are cut every 20 ms so tests run fast.
/// </summary>
public sealed class TestNode : WebApplicationFactory<Program>
{
    public TestNode()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tl-node-").FullName;
        Genesis = DevChain.Initialize(Directory, "node-test", DevChain.SampleOrgs, 1_700_000_000_000);
        Keys = DevChain.Keys(Directory);
    }

    /// <summary>A node over an existing data directory (left in place on dispose when <see cref="KeepDirectory"/>).</summary>
    public static TestNode Over(string directory, bool keepDirectory) => new(directory) { KeepDirectory = keepDirectory };

    private TestNode(string directory)
    {
        Directory = directory;
        Genesis = DataDirectory.LoadGenesis(directory);
        Keys = DevChain.Keys(directory);
    }

    /// <summary>A second node of the same chain with the same validator key, starting from genesis.</summary>
    public static TestNode SameChainAs(TestNode other) => new(other);

    private TestNode(TestNode sameChainAs)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tl-node-").FullName;
        File.Copy(DataDirectory.GenesisPath(sameChainAs.Directory), DataDirectory.GenesisPath(Directory));
        File.Copy(DataDirectory.NodeKeyPath(sameChainAs.Directory), DataDirectory.NodeKeyPath(Directory));
        Genesis = sameChainAs.Genesis;
        Keys = sameChainAs.Keys;
    }

    public string Directory { get; }

    public Genesis Genesis { get; }

    public KeyStore Keys { get; }

    public long MaxRequestBytes { get; init; } = 4 * 1024 * 1024;

    public int MaxBatchTxs { get; init; } = 10_000;

    public int AnchorIntervalMs { get; init; } = 50;

    /// <summary>More host configuration (logging providers, settings) for one test.</summary>
    public Action<IWebHostBuilder>? Configure { get; init; }

    /// <summary>Leave the data directory in place on dispose (the test deletes it).</summary>
    public bool KeepDirectory { get; init; }

    public KeyPair Admin(string org) => Keys.Load(DevChain.AdminKeyName(org));

    public ThingLedgerClient Client() => new(CreateClient());

    public async Task<Account> AccountAsync(KeyPair key) => await Account.OpenAsync(Client(), key, Genesis.ChainId);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Node:DataDirectory", Directory);
        builder.UseSetting("Node:BlockIntervalMs", "20");
        builder.UseSetting("Node:MaxRequestBytes", MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Node:MaxBatchTxs", MaxBatchTxs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Node:AnchorIntervalMs", AnchorIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Node:MaxDeviceBatchReadings", "64");
        builder.UseSetting("Node:MaxUploadReadings", "500");
        // Each test node's MQTT broker on a port of its own.
        builder.UseSetting("Node:Mqtt:Port", "0");
        Configure?.Invoke(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (KeepDirectory)
        {
            return;
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pool on this platform: the temp folder is cleaned later.
        }
    }
}
