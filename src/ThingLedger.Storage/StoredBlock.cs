using ThingLedger.Core.Ledger;

namespace ThingLedger.Storage;

/// <summary>A committed block: header, finality certificate, and its transactions with receipts in order.</summary>
public sealed record StoredBlock(BlockHeader Header, FinalityCertificate Certificate, IReadOnlyList<Transaction> Transactions, IReadOnlyList<Receipt> Receipts);

/// <summary>A committed transaction with where it landed and what it did.</summary>
public sealed record StoredTx(Transaction Transaction, Receipt Receipt, ulong Height, int Index);

/// <summary>The newest committed block's header and certificate.</summary>
public sealed record ChainHead(BlockHeader Header, FinalityCertificate Certificate)
{
    public ulong Height => Header.Height;
}
