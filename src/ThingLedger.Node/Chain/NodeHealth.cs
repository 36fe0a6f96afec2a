namespace ThingLedger.Node.Chain;

/// <summary>Why a node cannot take writes. Each cause is set and cleared by the part of the node that knows it.</summary>
public enum FaultCause
{
    /// <summary>Committing a block failed for a reason that does not go away by itself; the node stays up and says why.</summary>
    CommitFailed,

    /// <summary>A database file is damaged: repair it (`thingledger node repair`).</summary>
    StorageCorrupt,

    /// <summary>A quorum of the consortium signed other results than this peer computed.</summary>
    Diverged,

    /// <summary>The disk is full (or below Node:MinFreeDiskBytes); cleared once there is room again.</summary>
    StorageFull,

    /// <summary>A consortium peer's ledger is behind what its other stores reached.</summary>
    CatchingUp,
}

/// <summary>
/// The reasons a node refuses writes right now. While any is set, submissions and uploads get
/// NODE_UNAVAILABLE and /health answers 503 with the first reason (in the order of
/// <see cref="FaultCause"/>); reads go on. Some causes clear themselves (space freed, caught up).
/// </summary>
public sealed class NodeHealth
{
    private readonly string?[] _reasons = new string?[Enum.GetValues<FaultCause>().Length];

    /// <summary>The first reason that holds, or null while healthy.</summary>
    public string? Fault
    {
        get
        {
            for (var i = 0; i < _reasons.Length; i++)
            {
                if (Volatile.Read(ref _reasons[i]) is { } reason)
                {
                    return reason;
                }
            }
            return null;
        }
    }

    public string? ReasonFor(FaultCause cause) => Volatile.Read(ref _reasons[(int)cause]);

    public void Set(FaultCause cause, string reason) => Volatile.Write(ref _reasons[(int)cause], reason);

    public void Clear(FaultCause cause) => Volatile.Write(ref _reasons[(int)cause], null);
}
