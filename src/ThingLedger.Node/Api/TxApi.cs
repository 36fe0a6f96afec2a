using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Verification;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Json;

namespace ThingLedger.Node.Api;

/// <summary>Submitting txs, reading them back, waiting for their commit and proving their inclusion.</summary>
internal static class TxApi
{
    public static RouteGroupBuilder MapTxApi(this RouteGroupBuilder api)
    {
        var txs = api.MapGroup("/txs").WithTags("Transactions");
        txs.MapPost("/", Submit).WithName("SubmitTxs").Accepts<SubmitRequest>("application/json")
            .WithSummary("Submit one tx ({\"tx\":hex}) or a batch ({\"txs\":[hex…]}); signatures are verified in parallel before ordering. With wait=true, answers once committed.");
        txs.MapGet("/{id}", Get).WithName("GetTx").WithSummary("A tx's status (pending, committed, failed) with its receipt.");
        txs.MapGet("/{id}/wait", Wait).WithName("WaitForTx").WithSummary("Waits until the tx is committed or timeoutMs passes (then answers with status pending).");
        txs.MapGet("/{id}/proof", Proof).WithName("GetTxProof").WithSummary("The tx, its receipt, Merkle paths, header and finality certificate: verifiable offline.");
        return api;
    }

    private static async Task<Results<Ok<SubmitResponse>, Accepted<SubmitResponse>, ProblemHttpResult>> Submit(
        HttpRequest http, LedgerNode node, bool? wait, int? timeoutMs, CancellationToken cancellationToken)
    {
        if (!JsonBody.IsJson(http))
        {
            return JsonBody.NotJson(http);
        }
        SubmitRequest? request;
        ProblemHttpResult? problem;
        using (var body = await PooledBody.ReadAsync(http, cancellationToken).ConfigureAwait(false))
        {
            request = JsonBody.Parse(body.Span, Client.ClientJsonContext.Default.SubmitRequest, ErrorCodes.BadRequest, out problem);
        }
        if (request is null)
        {
            return problem!;
        }
        var single = request.Tx is not null;
        if (single == request.Txs is not null)
        {
            return Problems.BadRequest("send either \"tx\" (one hex-encoded tx) or \"txs\" (an array of them)");
        }
        var hexes = single ? [request.Tx!] : request.Txs!;
        if (hexes.Count == 0)
        {
            return Problems.Of(ErrorCodes.BatchEmpty, "the batch holds no txs");
        }
        if (hexes.Count > node.Options.MaxBatchTxs)
        {
            return Problems.Of(ErrorCodes.BatchTooLarge, $"a batch holds at most {node.Options.MaxBatchTxs} txs, this one {hexes.Count}");
        }
        var encoded = new byte[hexes.Count][];
        var malformed = new bool[hexes.Count];
        for (var i = 0; i < hexes.Count; i++)
        {
            encoded[i] = Hex.TryDecode(hexes[i], out var bytes) ? bytes : [];
            malformed[i] = encoded[i].Length == 0;
        }
        var admitted = await node.Admission.AdmitAsync(encoded).ConfigureAwait(false);
        var results = new List<TxResultView>(admitted.Length);
        for (var i = 0; i < admitted.Length; i++)
        {
            var r = admitted[i];
            results.Add(r.Accepted
                ? new TxResultView(i, r.Id.ToString(), TxState.Accepted, null, null, null)
                : malformed[i]
                    ? new TxResultView(i, null, TxState.Rejected, ErrorCodes.TxMalformed, "not a hex string of tx bytes", null)
                    : new TxResultView(i, r.Id?.ToString(), TxState.Rejected, r.Code, r.Message, null));
        }
        if (single && results[0].Code is { } code)
        {
            return Problems.Of(code, results[0].Message ?? code, results[0].Id);
        }
        var accepted = results.Count(r => r.Code is null);
        if (wait == true && accepted > 0)
        {
            var timeout = TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs ?? 10_000, 1, node.Options.MaxWaitMs));
            var waits = new List<(int Index, Task<Storage.StoredTx?> Task)>();
            foreach (var r in results)
            {
                if (r.Code is null)
                {
                    waits.Add((r.Index, node.Tracker.WaitAsync(Hash.Parse(r.Id!), timeout, cancellationToken)));
                }
            }
            await Task.WhenAll(waits.Select(w => w.Task)).ConfigureAwait(false);
            var allCommitted = true;
            foreach (var (index, task) in waits)
            {
                var committed = task.Result;
                allCommitted &= committed is not null;
                if (committed is not null)
                {
                    var status = ViewMapper.State(committed.Receipt);
                    results[index] = results[index] with
                    {
                        Status = status,
                        Height = committed.Height,
                        Code = committed.Receipt.Succeeded ? null : committed.Receipt.ErrorCode,
                    };
                }
            }
            var response = new SubmitResponse(accepted, results.Count - accepted, results);
            return allCommitted ? TypedResults.Ok(response) : TypedResults.Accepted((string?)null, response);
        }
        return TypedResults.Accepted((string?)null, new SubmitResponse(accepted, results.Count - accepted, results));
    }

    private static Results<Ok<TxView>, ProblemHttpResult> Get(string id, LedgerNode node)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.BadRequest("a tx id is 64 hex digits");
        }
        var committed = node.Store.GetTx(hash);
        if (committed is not null)
        {
            return TypedResults.Ok(ViewMapper.Committed(committed));
        }
        var pending = node.Admission.FindPending(hash);
        return pending is not null
            ? TypedResults.Ok(ViewMapper.Tx(pending, TxState.Pending, null, null, null))
            : Problems.NotFound($"no tx {id} is known to this node");
    }

    private static async Task<Results<Ok<TxView>, ProblemHttpResult>> Wait(string id, LedgerNode node, int? timeoutMs, CancellationToken cancellationToken)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.BadRequest("a tx id is 64 hex digits");
        }
        var pending = node.Admission.FindPending(hash);
        if (pending is null && node.Store.GetTx(hash) is null)
        {
            return Problems.NotFound($"no tx {id} is known to this node");
        }
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs ?? 10_000, 1, node.Options.MaxWaitMs));
        var committed = await node.Tracker.WaitAsync(hash, timeout, cancellationToken).ConfigureAwait(false);
        return committed is not null
            ? TypedResults.Ok(ViewMapper.Committed(committed))
            : TypedResults.Ok(ViewMapper.Tx(pending!, TxState.Pending, null, null, null));
    }

    private static Results<Ok<ProofDocument>, ProblemHttpResult> Proof(string id, LedgerNode node)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.BadRequest("a tx id is 64 hex digits");
        }
        var inclusion = node.Store.GetTxInclusion(hash);
        if (inclusion is null)
        {
            return Problems.NotFound($"tx {id} is not committed");
        }
        var document = ProofDocument.ForTx(node.Genesis.Hash, inclusion.Header, inclusion.Certificate, inclusion.Stored.Transaction,
            inclusion.Stored.Receipt, inclusion.TxProof, inclusion.ReceiptProof);
        document.Membership = node.MembershipProof(inclusion.Header.Height);
        return TypedResults.Ok(document);
    }
}
