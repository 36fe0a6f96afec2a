using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Client;

/// <summary>An unsigned operation: which module, which operation, the canonical payload.</summary>
public sealed record Operation(string Module, string Name, byte[] Payload)
{
    public static Operation Of<T>(string module, string name, T payload) where T : ICanonical => new(module, name, Canonical.Encode(payload));
}

/// <summary>Marks the SDK method that builds an operation's payload (a test checks every registered operation has one).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BuildsAttribute(string module, string operation) : Attribute
{
    public string Module { get; } = module;

    public string Operation { get; } = operation;

    /// <summary>Submitted by nodes themselves (a custodian's anchors), so no CLI command submits it.</summary>
    public bool ByNode { get; init; }
}

/// <summary>The built-in modules' operations, ready to sign.</summary>
public static partial class Operations
{
    /// <summary>Signs an operation into a transaction that may use at most <paramref name="gasLimit"/> (docs/WIRE-FORMAT.md "Gas").</summary>
    public static Transaction Sign(this Operation operation, string chainId, KeyPair signer, ulong nonce, ulong expiryHeight = ulong.MaxValue, ulong gasLimit = Gas.DefaultTxLimit) =>
        Transaction.Create(chainId, operation.Module, operation.Name, operation.Payload, signer, nonce, expiryHeight, gasLimit);
}
