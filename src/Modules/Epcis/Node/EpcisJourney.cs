using ThingLedger.Client.Contracts;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>
/// An item's public journey (docs/EPCIS.md "Public verification"): the trace back from it (what it
/// travelled in, what it was made from, and theirs) with every event's receipt built and checked
/// here against this node's genesis, so each step shows whether it verified; the same receipts
/// make the downloadable bundle a relying party checks offline.
/// </summary>
public static class EpcisJourney
{
    /// <summary>Steps a journey shows and checks at most (the oldest); a longer one says it is truncated.</summary>
    public const int MaxSteps = 1_000;

    /// <summary>The journey of <paramref name="id"/> (a canonical id) and its receipts, in step order.</summary>
    public static (EpcisJourneyView View, List<ProofDocument> Receipts) Build(LedgerNode node, EpcisStore store, EpcisChainIndex index, string id)
    {
        var trace = EpcisTrace.Walk(index, id, forward: false);
        var item = EpcisModule.ReadItem(node.Store, id) is { } record ? EpcisNode.View(node, record) : null;
        var ids = trace.Reached.Select(r => r.Id).Prepend(id).ToHashSet(StringComparer.Ordinal);
        var steps = new List<EpcisJourneyStepView>(trace.Events.Count);
        var receipts = new List<ProofDocument>(trace.Events.Count);
        foreach (var step in trace.Events.Take(MaxSteps))
        {
            var about = step.Epcs.Concat(step.Inputs).Concat(step.Outputs).Append(step.Parent ?? string.Empty).Where(ids.Contains).Distinct(StringComparer.Ordinal).ToList();
            var (receipt, _, message) = EpcisReceiptBuilder.Build(node, store, index, new Core.Crypto.Hash(EpcisEventHash.Digest(step.Hash)!));
            if (receipt is null)
            {
                steps.Add(new EpcisJourneyStepView(step, about, false, message!));
                continue;
            }
            var result = receipt.Verify(node.Genesis);
            steps.Add(new EpcisJourneyStepView(step, about, result.Ok, result.Ok ? result.Message : $"broken link {result.Link}: {result.Message}"));
            receipts.Add(receipt);
        }
        var link = id.StartsWith('/') ? Gs1Canonical.Root + id : id;
        return (new EpcisJourneyView(id, link, item, trace.Reached, steps, trace.Truncated || trace.Events.Count > MaxSteps), receipts);
    }
}
