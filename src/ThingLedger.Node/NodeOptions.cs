namespace ThingLedger.Node;

/// <summary>Settings of a node (configuration section "Node"). Checked when the node starts.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Folder holding genesis.json, node.key and ledger.db.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>The longest a waiting tx waits for its block, in milliseconds.</summary>
    public int BlockIntervalMs { get; set; } = 200;

    /// <summary>A block is cut as soon as this many txs wait.</summary>
    public int MaxBlockTxs { get; set; } = 4_000;

    /// <summary>Txs admitted but not yet in a block beyond which submissions get MEMPOOL_FULL.</summary>
    public int MaxPendingTxs { get; set; } = 200_000;

    /// <summary>Txs of one signer admitted but not yet in a block beyond which its next ones get SIGNER_PENDING_LIMIT.</summary>
    public int MaxPendingPerSigner { get; set; } = 10_000;

    /// <summary>Txs in one submission.</summary>
    public int MaxBatchTxs { get; set; } = 10_000;

    /// <summary>Largest request body in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Longest a client may ask to wait for a commit, in milliseconds.</summary>
    public int MaxWaitMs { get; set; } = 60_000;

    /// <summary>Readings in one upload (signed readings plus the readings of device batches).</summary>
    public int MaxUploadReadings { get; set; } = 50_000;

    /// <summary>Readings under one device-batch signature (at most 1,024, the protocol's limit).</summary>
    public int MaxDeviceBatchReadings { get; set; } = 256;

    /// <summary>How far ahead of the node's clock a reading's timestamp may be, in milliseconds.</summary>
    public long MaxClockSkewMs { get; set; } = 5 * 60 * 1000;

    /// <summary>
    /// How far ahead of this peer's clock a block's time may be for the peer to attest it, in
    /// milliseconds (consortium); a block dated later is attested only once the clock gets there.
    /// </summary>
    public long MaxBlockClockSkewMs { get; set; } = 5_000;

    /// <summary>How far behind the node's clock a reading's timestamp may be, in milliseconds.</summary>
    public long MaxReadingAgeMs { get; set; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>How often accepted readings are anchored on chain, in milliseconds.</summary>
    public int AnchorIntervalMs { get; set; } = 1_000;

    /// <summary>
    /// Screen accepted readings with the built-in model of their schema, once that model is
    /// registered on chain with the same parameters (docs/SCREENING.md).
    /// </summary>
    public bool Screening { get; set; } = true;

    /// <summary>
    /// Below this many free bytes on the data directory's disk the node stops taking writes
    /// (NODE_UNAVAILABLE) until twice as many (and at least 8 MiB) are free again; 0 waits for a write to fail for lack of space.
    /// </summary>
    public long MinFreeDiskBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>"solo" (embedded, the default) or "etcd" (a consortium's shared ordering service).</summary>
    public string Ordering { get; set; } = "solo";

    /// <summary>etcd client URLs, comma-separated (Ordering = etcd).</summary>
    public string EtcdEndpoints { get; set; } = string.Empty;

    /// <summary>Key prefix of this chain in etcd; empty means "thingledger/{chain id}".</summary>
    public string EtcdPrefix { get; set; } = string.Empty;

    /// <summary>Other peers' URLs, comma-separated: where missing blocks are fetched from.</summary>
    public string Peers { get; set; } = string.Empty;

    /// <summary>Final blocks whose log entries etcd keeps before it is compacted.</summary>
    public int RetainBlocks { get; set; } = 1_000;

    public bool IsConsortium => string.Equals(Ordering, "etcd", StringComparison.Ordinal);

    public void Validate()
    {
        if (Ordering is not ("solo" or "etcd"))
        {
            throw new InvalidOperationException($"Node:Ordering is '{Ordering}'; it must be 'solo' or 'etcd'");
        }
        if (IsConsortium && string.IsNullOrWhiteSpace(EtcdEndpoints))
        {
            throw new InvalidOperationException("Node:EtcdEndpoints is required when Node:Ordering is etcd");
        }
        if (RetainBlocks < 2)
        {
            throw new InvalidOperationException("Node:RetainBlocks must be at least 2");
        }
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new InvalidOperationException("Node:DataDirectory is required (run `thingledger init` to create one)");
        }
        if (MaxBatchTxs < 1 || MaxRequestBytes < 1024 || MaxWaitMs < 1 || MaxPendingPerSigner < 1)
        {
            throw new InvalidOperationException("Node:MaxBatchTxs, Node:MaxRequestBytes, Node:MaxWaitMs and Node:MaxPendingPerSigner must be positive");
        }
        if (MaxBlockClockSkewMs < 0)
        {
            throw new InvalidOperationException("Node:MaxBlockClockSkewMs must not be negative");
        }
        if (MaxUploadReadings < 1 || MaxDeviceBatchReadings is < 1 or > Core.Telemetry.DeviceBatch.MaxReadings ||
            MaxClockSkewMs < 0 || MaxReadingAgeMs < 0 || AnchorIntervalMs < 1 || MinFreeDiskBytes < 0)
        {
            throw new InvalidOperationException(
                $"Node:MaxUploadReadings and Node:AnchorIntervalMs must be positive, Node:MaxDeviceBatchReadings between 1 and {Core.Telemetry.DeviceBatch.MaxReadings}, and the clock limits and Node:MinFreeDiskBytes not negative");
        }
    }
}
