using ThingLedger.Client.Contracts;
using ThingLedger.Core.Ledger;
using ThingLedger.Storage;

namespace ThingLedger.Node.Json;

/// <summary>Maps ledger objects to their JSON views.</summary>
public static class ViewMapper
{
    public static ReceiptView Receipt(Receipt r) => new(
        r.Status,
        r.Succeeded ? null : r.ErrorCode,
        r.GasUsed,
        [.. r.Events.Select(e => new EventView(e.Module, e.Name, e.Attributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal)))]);

    public static TxView Tx(Transaction tx, TxState status, ulong? height, int? index, Receipt? receipt) => new(
        tx.Id.ToString(), status, height, index, tx.Module, tx.Operation, tx.SignerAddress.ToString(), tx.Nonce, tx.ExpiryHeight,
        tx.Version, tx.GasLimit, Convert.ToHexStringLower(tx.Payload), receipt is null ? null : Receipt(receipt));

    /// <summary>A committed tx's state: committed when it succeeded, failed when it was recorded as failed.</summary>
    public static TxState State(Receipt r) => r.Succeeded ? TxState.Committed : TxState.Failed;

    public static TxView Committed(StoredTx s) => Tx(s.Transaction, State(s.Receipt), s.Height, s.Index, s.Receipt);

    public static BlockView Block(BlockHeader h, FinalityCertificate c, StoredBlock? body) => new(
        h.Height, h.Hash.ToString(), h.PreviousHash.ToString(), h.Timestamp, h.TxCount, h.TxRoot.ToString(), h.ReceiptsRoot.ToString(),
        h.StateRoot.ToString(),
        [.. c.Attestations.Select(a => new AttestationView(a.Validator.ToHex(), Convert.ToHexStringLower(a.Signature)))],
        body is null ? null : [.. body.Transactions.Select((tx, i) => Tx(tx, State(body.Receipts[i]), h.Height, i, body.Receipts[i]))]);


    /// <summary>A UTC day number (days since the Unix epoch) as yyyy-MM-dd.</summary>
    public static string Date(uint day) => DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays((int)Math.Min(day, 2_900_000u))
        .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
