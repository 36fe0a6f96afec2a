using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Ledger;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Consortium;

namespace ThingLedger.Node.Api;

/// <summary>What peers ask of each other: final blocks to catch up with, and each one's finality.</summary>
internal static class SyncApi
{
    /// <summary>A page of blocks stops growing past this many bytes.</summary>
    public const int MaxPageBytes = 8 * 1024 * 1024;

    public static RouteGroupBuilder MapSyncApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sync/blocks", Blocks).WithTags("Consortium").WithName("SyncBlocks")
            .WithSummary($"Final blocks from height 'from' on (header, quorum certificate, txs) as {PeerSync.MediaType}; only blocks with a quorum certificate are served.");
        api.MapGet("/finality", Finality).WithTags("Consortium").WithName("GetFinality")
            .WithSummary("Head, highest final block, finality lag and health of this peer.");
        return api;
    }

    private static IResult Blocks(LedgerNode node, long? from, int? limit)
    {
        if (from is null or < 1)
        {
            return Problems.BadRequest("from must be a height of at least 1");
        }
        var records = new List<BlockRecord>();
        var bytes = 0;
        var count = Math.Clamp(limit ?? PeerSync.PageBlocks, 1, PeerSync.PageBlocks);
        for (var height = (ulong)from.Value; records.Count < count && bytes < MaxPageBytes; height++)
        {
            var block = node.Store.GetBlock(height);
            if (block is null || block.Certificate.Attestations.Length < node.Validators.At(height).Quorum)
            {
                break;
            }
            var record = new BlockRecord(block.Header, block.Certificate, block.Transactions);
            records.Add(record);
            bytes += (int)block.Header.TxCount * 256;
        }
        return TypedResults.Bytes(PeerSync.EncodePage(records), PeerSync.MediaType);
    }

    private static Ok<FinalityView> Finality(LedgerNode node) => TypedResults.Ok(View(node));

    public static FinalityView View(LedgerNode node)
    {
        var head = node.Head.Height;
        var final = Math.Min(node.Finality.FinalizedHeight, head);
        var set = node.Validators.At(head + 1);
        var org = set.OrgOf(node.ValidatorKey.PublicKey) ?? string.Empty;
        var (status, problem) = node.Fault is { } fault ? (PeerStatus.Unhealthy, fault)
            : node.OrderingProblem is { } ordering ? (PeerStatus.OrderingUnavailable, ordering)
            : node.AttestationProblem is { } attesting ? (PeerStatus.NotAttesting, attesting)
            : (PeerStatus.Healthy, (string?)null);
        return new FinalityView(node.Genesis.ChainId, node.Options.Ordering, org, node.ValidatorKey.PublicKey.ToHex(), head, final, head - final,
            set.Quorum, set.Validators.Count, status, problem, set.Epoch);
    }
}
