using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Verification;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Json;

namespace ThingLedger.Node.Api;

/// <summary>Blocks, state with proofs, node status and genesis.</summary>
internal static class ChainApi
{
    public const int MaxPage = 200;

    public static RouteGroupBuilder MapChainApi(this RouteGroupBuilder api)
    {
        var blocks = api.MapGroup("/blocks").WithTags("Blocks");
        blocks.MapGet("/", Recent).WithName("ListBlocks").WithSummary("The newest blocks, newest first; page with before=height.");
        blocks.MapGet("/head", Head).WithName("GetHead").WithSummary("The newest committed block's header and certificate.");
        blocks.MapGet("/{height:long}", ByHeight).WithName("GetBlock").WithSummary("A block with its txs and receipts.");
        blocks.MapGet("/by-hash/{hash}", ByHash).WithName("GetBlockByHash").WithSummary("A block by its header hash.");

        api.MapGet("/state/{**key}", State).WithTags("State").WithName("GetState")
            .WithSummary("A state key's value at the head; with proof=true, a proof of value or absence verifiable offline.");
        api.MapGet("/status", Status).WithTags("Node").WithName("GetStatus").WithSummary("Chain id, head, pending txs.");
        api.MapGet("/genesis", (LedgerNode node) => TypedResults.Text(node.Genesis.ToJson(), "application/json"))
            .WithTags("Node").WithName("GetGenesis").WithSummary("The genesis document this node serves (compare with your trusted copy).");
        return api;
    }

    private static Ok<Page<BlockView>> Recent(LedgerNode node, long? before, int? limit)
    {
        var from = before is > 0 ? (ulong)before.Value - 1 : node.Head.Height;
        var heads = node.Store.RecentBlocks(from, Math.Clamp(limit ?? 20, 1, MaxPage));
        var items = heads.Select(h => ViewMapper.Block(h.Header, h.Certificate, null)).ToList();
        var next = heads.Count > 0 && heads[^1].Height > 0 ? heads[^1].Height.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<BlockView>(items, next));
    }

    private static Ok<BlockView> Head(LedgerNode node)
    {
        var head = node.Head;
        return TypedResults.Ok(ViewMapper.Block(head.Header, head.Certificate, null));
    }

    private static Results<Ok<BlockView>, ProblemHttpResult> ByHeight(long height, LedgerNode node)
    {
        if (height < 0)
        {
            return Problems.BadRequest($"a height is 0 or more, not {height}");
        }
        var block = node.Store.GetBlock((ulong)height);
        return block is null
            ? Problems.NotFound($"no block at height {height}; the head is {node.Head.Height}")
            : TypedResults.Ok(ViewMapper.Block(block.Header, block.Certificate, block));
    }

    private static Results<Ok<BlockView>, ProblemHttpResult> ByHash(string hash, LedgerNode node)
    {
        if (!Hash.TryParse(hash, out var h))
        {
            return Problems.BadRequest("a block hash is 64 hex digits");
        }
        var head = node.Store.GetHeadByHash(h);
        return head is null
            ? Problems.NotFound($"no block with hash {hash}")
            : TypedResults.Ok(ViewMapper.Block(head.Header, head.Certificate, node.Store.GetBlock(head.Height)));
    }

    private static Results<Ok<StateEntryView>, ProblemHttpResult> State(string key, LedgerNode node, bool? proof)
    {
        // The server decodes every escape of a path but %2F; a key's slashes may come either way
        // (no state key holds a '%', so the two spellings cannot name different keys).
        key = key.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (key.Length is 0 or > Core.State.StateKeys.MaxKeyBytes)
        {
            return Problems.BadRequest($"a state key is 1-{Core.State.StateKeys.MaxKeyBytes} characters");
        }
        var (value, stateProof, head) = node.Store.GetWithProof(key);
        var document = proof == true ? ProofDocument.ForState(node.Genesis.Hash, head.Header, head.Certificate, key, value, stateProof) : null;
        if (document is not null)
        {
            document.Membership = node.MembershipProof(head.Height);
        }
        if (value is null && proof != true)
        {
            return Problems.NotFound($"no value at '{key}' (ask with proof=true for a proof of absence)");
        }
        // Decoded by the module that owns the key, so a person reads fields, not hex.
        var described = value is null ? null : Execution.StateDescriber.Describe(node.Machine.Modules, key, value);
        return TypedResults.Ok(new StateEntryView(key, value is not null, value is null ? null : Convert.ToHexStringLower(value), head.Height, document,
            described?.Kind, described is { } d ? [.. d.Fields.Select(f => new StateFieldView(f.Name, f.Value))] : null));
    }

    private static Ok<StatusView> Status(LedgerNode node)
    {
        var head = node.Head;
        return TypedResults.Ok(new StatusView(node.Genesis.ChainId, node.Genesis.Hash.ToString(), head.Height, head.Header.Hash.ToString(),
            head.Header.Timestamp, head.Header.StateRoot.ToString(), node.Admission.Pending, node.Store.StateCount,
            node.ValidatorKey.PublicKey.ToHex(), node.CommittedTxs));
    }
}
