using ThingLedger.Core.Crypto;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>
/// Assembles an event's receipt: for an event this node captured, from the event store (the event,
/// its capture, its anchor's records) and the ledger (the anchor tx's inclusion and finality); for
/// an event another node captured, from the chain index (its record's place in its anchor tx), without
/// the document, which only its capturing node holds.
/// </summary>
public static class EpcisReceiptBuilder
{
    /// <summary>The receipt, or the code and message of why there is none (yet).</summary>
    public static (ProofDocument? Receipt, string? Code, string? Message) Build(LedgerNode node, EpcisStore store, EpcisChainIndex chain, Hash digest)
    {
        var stored = store.FindEvent(digest);
        var document = stored is null ? null : Document(store, stored);
        // The chain index knows every anchored event's place in its anchor.
        if (chain.Find(digest) is { } anchored)
        {
            return (Receipt(node, anchored.Tx, document, anchored.Record.HashText, anchored.Chunk, anchored.Position), null, null);
        }
        if (stored is null)
        {
            return (null, EpcisErrors.EventNotFound, $"no event ni:///sha-256;{digest}?ver={EpcisEventHash.Version} is anchored on this chain or stored at this node");
        }
        if (store.AnchorOf(stored.Seq) is not { } anchor)
        {
            return (null, EpcisErrors.EventNotAnchored, $"event {stored.Record.HashText} is stored and waits for its anchor; retry in a moment");
        }
        // Anchored, and the chain index has not reached its block yet: the anchor's events are whole chunks in order.
        var events = store.Records(anchor.First, anchor.Last, int.MaxValue);
        var (chunk, position) = (-1, 0);
        for (var i = 0; i < events.Count; i++)
        {
            if (i == 0 || events[i].Capture != events[i - 1].Capture || events[i].Chunk != events[i - 1].Chunk)
            {
                (chunk, position) = (chunk + 1, 0);
            }
            if (events[i].Seq == stored.Seq)
            {
                break;
            }
            position++;
        }
        return (Receipt(node, anchor.Tx, document, stored.Record.HashText, chunk, position), null, null);
    }

    /// <summary>The stored event as a one-event document under its capture's @context.</summary>
    private static string Document(EpcisStore store, StoredEvent stored)
    {
        var capture = store.Capture(stored.Capture) ?? throw new InvalidOperationException($"event {stored.Seq} names capture {stored.Capture}, which the store lacks");
        return $$"""{"@context":{{capture.Context}},"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"{{DateTimeOffset.FromUnixTimeMilliseconds((long)capture.ReceivedMs):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","epcisBody":{"eventList":[{{stored.Json}}]}""" + "}";
    }

    private static ProofDocument Receipt(LedgerNode node, Hash anchorTx, string? document, string hash, int chunk, int position)
    {
        var inclusion = node.Store.GetTxInclusion(anchorTx) ?? throw new InvalidOperationException($"epcis anchor tx {anchorTx} is recorded but not in the ledger");
        var receipt = ProofDocument.ForModule(EpcisReceipt.Kind, node.Genesis.Hash, inclusion.Header, inclusion.Certificate, inclusion.Stored.Transaction,
            inclusion.Stored.Receipt, inclusion.TxProof, inclusion.ReceiptProof, EpcisReceipt.Fields(document, hash, chunk, position));
        receipt.Membership = node.MembershipProof(inclusion.Header.Height);
        return receipt;
    }
}
