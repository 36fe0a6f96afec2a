using ThingLedger.Core.Codec;
using ThingLedger.Core.Verification;

namespace ThingLedger.Core.Ledger;

/// <summary>
/// A final block as one peer hands it to another (catch-up): header, finality certificate and
/// txs. Receipts are not sent: the receiving peer executes the txs itself and must reproduce
/// the header's receipts root and state root.
/// </summary>
public sealed record BlockRecord(BlockHeader Header, FinalityCertificate Certificate, IReadOnlyList<Transaction> Transactions)
{
    public const byte CurrentVersion = 1;
    public const int MaxTxs = 100_000;

    public byte[] Encode()
    {
        var header = Header.Encode();
        var certificate = Certificate.Encode();
        var size = 1 + CanonicalSizes.Bytes(header.Length) + CanonicalSizes.Bytes(certificate.Length) + Transaction.ListLength(Transactions);
        var bytes = new byte[size];
        var writer = new SpanWriter(bytes);
        writer.WriteU8(CurrentVersion);
        writer.WriteBytes(header);
        writer.WriteBytes(certificate);
        Transaction.WriteList(ref writer, Transactions);
        return bytes;
    }

    public static CodecError TryDecode(ReadOnlySpan<byte> bytes, out BlockRecord? record)
    {
        record = null;
        var reader = new SpanReader(bytes);
        if (reader.ReadU8() != CurrentVersion)
        {
            reader.Fail(CodecError.UnknownVersion);
        }
        var headerError = BlockHeader.TryDecode(reader.ReadBytes(1024), out var header);
        var certificateError = FinalityCertificate.TryDecode(reader.ReadBytes(64 * 1024), out var certificate);
        var count = reader.ReadCount(MaxTxs);
        var txs = new Transaction[reader.Ok ? count : 0];
        for (var i = 0; i < txs.Length && reader.Ok; i++)
        {
            if (Transaction.TryDecode(reader.ReadBytes(Transaction.MaxEncodedBytes), out txs[i]!) != CodecError.None)
            {
                reader.Fail(CodecError.InvalidValue);
            }
        }
        var error = reader.Finish();
        if (error != CodecError.None)
        {
            return error;
        }
        if (headerError != CodecError.None || certificateError != CodecError.None)
        {
            return headerError != CodecError.None ? headerError : certificateError;
        }
        record = new BlockRecord(header!, certificate!, txs);
        return CodecError.None;
    }

    /// <summary>
    /// What can be checked before executing: it is the block after <paramref name="previous"/> on
    /// this chain, a quorum of the validators in force at its height signed it, and its txs are the ones the header
    /// commits to. Returns null when all hold, or why not.
    /// </summary>
    public string? CheckFollows(ValidatorHistory validators, BlockHeader previous)
    {
        if (Header.ChainId != validators.ChainId)
        {
            return $"block is for chain '{Header.ChainId}'";
        }
        if (Header.Height != previous.Height + 1 || Header.PreviousHash != previous.Hash)
        {
            return $"block {Header.Height} does not follow block {previous.Height} ({previous.Hash})";
        }
        var final = ProofVerifier.VerifyCertificate(validators, Header, Certificate);
        if (!final.Ok)
        {
            return $"block {Header.Height}: {final.Message}";
        }
        if (Header.TxCount != Transactions.Count || BlockBuilder.TxRoot(Transactions) != Header.TxRoot)
        {
            return $"block {Header.Height}: its txs do not match the header's tx root (altered in transit or by the sender)";
        }
        return null;
    }
}
