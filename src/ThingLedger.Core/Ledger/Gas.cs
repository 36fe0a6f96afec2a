namespace ThingLedger.Core.Ledger;

/// <summary>
/// The cost table of execution (docs/WIRE-FORMAT.md "Gas"). Every version-2 tx carries a gas
/// limit; execution charges it from this table as it goes and fails the tx with OUT_OF_GAS the
/// moment the limit is passed. Fees are zero on a permissioned chain; the limits always hold.
/// Changing a figure changes receipts, so it is a protocol change.
/// </summary>
public static class Gas
{
    /// <summary>The most gas the txs of one block may use together, and so the most one tx may ask for.</summary>
    public const ulong BlockLimit = 10_000_000_000;

    /// <summary>The limit the client SDK and CLI sign with unless told otherwise: ample for every built-in operation but an anchor.</summary>
    public const ulong DefaultTxLimit = 1_000_000;

    /// <summary>The limit a node's anchor txs carry (a full 32 KiB anchor and its reward payouts use a fraction of it).</summary>
    public const ulong AnchorTxLimit = 100_000_000;

    /// <summary>Every tx: ordering, nonce and the signature check admission made.</summary>
    public const ulong Base = 1_000;
    public const ulong PerPayloadByte = 10;
    public const ulong Read = 100;
    public const ulong PerByteRead = 1;
    public const ulong Write = 500;
    public const ulong PerByteWritten = 1;
    public const ulong Event = 100;
    public const ulong PerEventByte = 1;

    /// <summary>One ECDSA P-256 verification a handler makes (a device's proof of possession at registration).</summary>
    public const ulong SignatureCheck = 3_000;

    /// <summary>One element of a stored list or range a handler walks (orders of a book level, days of a period, enrolments).</summary>
    public const ulong Step = 20;

    /// <summary>What a tx costs before its handler runs.</summary>
    public static ulong Intrinsic(int payloadBytes) => Base + ((ulong)payloadBytes * PerPayloadByte);
}
