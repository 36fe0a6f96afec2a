using System.CommandLine;

namespace ThingLedger.Cli;

/// <summary>Options every command understands.</summary>
internal static class CommonOptions
{
    public const string DefaultData = "./thingledger-data";

    public static readonly Option<string> Data = new("--data", "-d")
    {
        Description = "Data directory (genesis.json, node.key, keys/, ledger.db)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("THINGLEDGER_DATA") ?? DefaultData,
        Recursive = true,
    };

    public static readonly Option<string> Node = new("--node", "-n")
    {
        Description = "URL of the node to talk to",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("THINGLEDGER_NODE") ?? ThingLedger.Node.NodeApp.DefaultUrl,
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON instead of tables",
        Recursive = true,
    };

    public static readonly Option<bool> Wide = new("--wide")
    {
        Description = "Print ids and hashes whole in tables, however wide the terminal (by default they are shortened with … when a table would not fit)",
        Recursive = true,
    };

    public static readonly Option<ulong> GasLimit = new("--gas-limit")
    {
        Description = "The most gas each tx signed may use (docs/WIRE-FORMAT.md \"Gas\"); raise it for a tx that fails with OUT_OF_GAS",
        DefaultValueFactory = _ => Core.Ledger.Gas.DefaultTxLimit,
        Recursive = true,
    };

    /// <summary>The key (by name in the data directory's keys/ folder) that signs the tx.</summary>
    public static Option<string> As() => new("--as")
    {
        Description = "Name of the signing key in <data>/keys (e.g. voltmotors-admin)",
        Required = true,
    };

    public static Option<bool> Wait() => new("--no-wait")
    {
        Description = "Return once the node accepted the tx instead of waiting for its commit",
    };
}
