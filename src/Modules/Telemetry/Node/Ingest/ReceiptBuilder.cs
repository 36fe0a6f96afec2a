using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Telemetry;

/// <summary>
/// Assembles a reading's receipt from the reading store (the reading, its signature or device
/// batch, its anchor's ingest range) and the ledger (the anchor tx, its inclusion, the header and
/// the finality certificate). Everything in it is checked again offline by the verifier.
/// </summary>
public static class ReceiptBuilder
{
    /// <summary>The receipt, or the code and message of why there is none (yet).</summary>
    /// <param name="anchorReadings">The readings of the reading's anchor, when the caller has read them already (receipts of many readings of one anchor).</param>
    public static (ProofDocument? Receipt, string? Code, string? Message) Build(LedgerNode node, Address device, ulong sequence,
        IReadOnlyList<Storage.StoredReading>? anchorReadings = null)
    {
        var stored = node.Readings.Find(device, sequence);
        if (stored is null)
        {
            return (null, ErrorCodes.NotFound, $"this node holds no reading {sequence} of device {device}");
        }
        var anchor = node.Readings.FindAnchor(stored.Ingest);
        if (anchor is null)
        {
            return (null, TelemetryErrors.ReadingNotAnchored, $"reading {sequence} of device {device} is stored and waits for its anchor; retry in a moment");
        }
        var key = DevicesModule.ReadDevice(node.Store, device)?.PublicKey
            ?? throw new InvalidOperationException($"device {device} has stored readings but is not registered on chain");
        var inclusion = node.Store.GetTxInclusion(anchor.TxId)
            ?? throw new InvalidOperationException($"anchor tx {anchor.TxId} is recorded but not in the ledger");

        if (anchorReadings is null || anchorReadings.Count == 0 || anchorReadings[0].Ingest != anchor.FirstIngest || anchorReadings[^1].Ingest != anchor.LastIngest)
        {
            anchorReadings = node.Readings.ReadIngestRange(anchor.FirstIngest, anchor.LastIngest, int.MaxValue);
        }
        var leaves = new Hash[anchorReadings.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = anchorReadings[i].Reading.LeafHash;
        }
        var anchorProof = MerkleTree.Prove(leaves, (int)(stored.Ingest - anchor.FirstIngest));

        MerkleProof? batchProof = null;
        byte[]? batchSignature = null;
        if (stored.Batch is { } batchRef)
        {
            var (batch, readings) = node.Readings.GetBatch(batchRef) ?? throw new InvalidOperationException($"device batch {batchRef} is missing");
            var batchLeaves = new Hash[readings.Count];
            var index = -1;
            for (var i = 0; i < batchLeaves.Length; i++)
            {
                batchLeaves[i] = readings[i].Reading.LeafHash;
                index = readings[i].Ingest == stored.Ingest ? i : index;
            }
            batchProof = MerkleTree.Prove(batchLeaves, index);
            batchSignature = batch.Signature;
        }
        var receipt = ProofDocument.ForReading(node.Genesis.Hash, stored.Reading, key, stored.Signature, batchProof, batchSignature, anchorProof,
            inclusion.Header, inclusion.Certificate, inclusion.Stored.Transaction, inclusion.Stored.Receipt, inclusion.TxProof, inclusion.ReceiptProof);
        receipt.Membership = node.MembershipProof(inclusion.Header.Height);
        return (receipt, null, null);
    }
}
