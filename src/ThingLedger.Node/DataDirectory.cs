using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Node;

/// <summary>
/// The files of a node's data directory: genesis.json (the chain it serves), node.key (its
/// validator key, PKCS#8 PEM, readable by the owner only) and ledger.db.
/// </summary>
public static class DataDirectory
{
    public const string GenesisFile = "genesis.json";
    public const string NodeKeyFile = "node.key";

    public static string GenesisPath(string directory) => Path.Combine(directory, GenesisFile);

    public static string NodeKeyPath(string directory) => Path.Combine(directory, NodeKeyFile);

    public static Genesis LoadGenesis(string directory)
    {
        var path = GenesisPath(directory);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: this is not a ThingLedger data directory (run `thingledger init`)");
        }
        return Genesis.Parse(File.ReadAllText(path));
    }

    public static KeyPair LoadNodeKey(string directory)
    {
        var path = NodeKeyPath(directory);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: the node needs its validator key");
        }
        return KeyPair.ImportPem(File.ReadAllText(path));
    }
}
