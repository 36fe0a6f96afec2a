using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Client;

/// <summary>
/// A signer that keeps its own nonce count, so a program can sign many txs without asking the
/// node each time. Not thread-safe: one account, one sequence of nonces.
/// </summary>
public sealed class Account
{
    private ulong _nextNonce;

    public Account(KeyPair key, string chainId, ulong nextNonce)
    {
        Key = key;
        ChainId = chainId;
        _nextNonce = nextNonce;
    }

    public KeyPair Key { get; }

    public string ChainId { get; }

    public Address Address => Key.Address;

    public ulong NextNonce => _nextNonce;

    /// <summary>The gas limit every tx this account signs carries (docs/WIRE-FORMAT.md "Gas").</summary>
    public ulong GasLimit { get; init; } = Gas.DefaultTxLimit;

    /// <summary>An account whose next nonce is read from the node.</summary>
    public static async Task<Account> OpenAsync(ThingLedgerClient client, KeyPair key, string chainId, CancellationToken cancellationToken = default) =>
        new(key, chainId, await client.GetNextNonceAsync(key.Address, cancellationToken).ConfigureAwait(false));

    /// <summary>Signs with the next nonce and advances it.</summary>
    public Transaction Sign(Operation operation, ulong expiryHeight = ulong.MaxValue) => operation.Sign(ChainId, Key, _nextNonce++, expiryHeight, GasLimit);

    /// <summary>Steps back after a tx this account signed was refused, so the nonce is used again.</summary>
    public void Rewind(ulong nonce) => _nextNonce = nonce;
}
