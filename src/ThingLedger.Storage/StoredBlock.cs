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

/// <summary>A position in the chain's tx order, used as the cursor of newest-first tx pages ("height-index").</summary>
public readonly record struct TxPosition(ulong Height, int Index)
{
    public override string ToString() => $"{Height}-{Index}";

    public static bool TryParse(string? text, out TxPosition position)
    {
        position = default;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash <= 0 ||
            !ulong.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var height) ||
            !int.TryParse(text.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) ||
            height > long.MaxValue)
        {
            return false;
        }
        position = new TxPosition(height, index);
        return true;
    }
}
